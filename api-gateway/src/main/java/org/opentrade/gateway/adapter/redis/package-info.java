/**
 * The Redis adapters of the gateway's ports, for the distributed topology: every gateway sharing one
 * Redis sees the same keys, limits, usage and replay window.
 *
 * <p>Wiring: open one {@link org.opentrade.gateway.adapter.redis.RedisConnections} per gateway
 * ({@code connect(RedisOptions)}), build the four adapters on it ({@code RedisKeyRegistry.open},
 * {@code new RedisRateLimiter}, {@code new RedisUsageMeter}, {@code new RedisReplayGuard}), close the
 * adapters, then the connections.
 *
 * <p>Key layout, all under {@link org.opentrade.gateway.adapter.redis.RedisOptions#keyPrefix()}
 * ({@code ot:}): {@code dev:<id>}, {@code dev-email:<lower email>}, {@code devs}, {@code key:<id>},
 * {@code keys}, {@code dev-keys:<developer>}, {@code revoked-keys}, channel {@code changes}; {@code rl:<bucket>};
 * {@code usage:{<key>}:<minute>}, {@code usage:{<key>}:minutes}; {@code sig:<key id>:<hash of the
 * signed message>} (kept until the signed timestamp + window + clock skew).
 *
 * <h2>Why</h2>
 * <ul>
 *   <li>Every multi-key write is a Lua script (scripts in the resources beside these classes): atomic
 *       without WATCH/MULTI retries, and one round trip. Scripts run by digest with an EVAL fallback.
 *   <li>The rate limiter's script reads {@code TIME} on the Redis server: gateways with skewed clocks
 *       still agree on every bucket. The arithmetic is {@code domain.Gcra}'s, held to it by a
 *       differential test on seeded random sequences.
 *   <li>Lettuce queues commands while disconnected and never times them out by default; a gateway
 *       must answer instead, so commands are rejected while disconnected and time out after the
 *       command timeout (200 ms), and the failure policy of the caller decides.
 *   <li>Usage is counted in process and flushed: the request path never waits for Redis. The price is
 *       at-least-once delivery on a flush that timed out after Redis applied it.
 *   <li>A stored key is changed by compare-and-set ({@code replace_key.lua}), not by writing back a
 *       copy read earlier: a change computed from a stale read (a rotation racing a kill) is
 *       recomputed instead of overwriting. Creation counts the developer's live keys inside its
 *       script ({@code create_key.lua}). Every key-writing script keeps a revoked key revoked.
 *   <li>Pub/sub keeps nothing for a disconnected subscriber, so each re-confirmed subscription
 *       tells the registry's listeners that everything may be stale (caches drop all they hold).
 *   <li>The registry's keys are not hash-tagged, and {@code create_key.lua} reads keys it is not
 *       handed: it expects one Redis (or a primary with replicas), not a cluster. Usage keys are
 *       tagged per API key, so they could spread over a cluster.
 * </ul>
 */
package org.opentrade.gateway.adapter.redis;
