/**
 * Routing from the gateway to upstream pools: {@link org.opentrade.gateway.adapter.http.proxy.UpstreamPool}
 * (instances, active health checks, one circuit breaker per instance, pooled clients),
 * {@link org.opentrade.gateway.adapter.http.proxy.ProxyHandler} for REST and
 * {@link org.opentrade.gateway.adapter.http.proxy.WebSocketProxyHandler} for streams.
 *
 * <h2>Why</h2>
 * <ul>
 *   <li>Plain {@code HttpClient} rather than vertx-http-proxy: the gateway needs control of each
 *   attempt (retry only idempotent reads, only before anything was received, on another instance;
 *   a breaker verdict per attempt; a hop listener around each attempt; the error model for every
 *   failure), which is simpler to state directly than through the proxy library's interceptors.</li>
 *   <li>vertx-circuit-breaker per instance, not per pool: one dead instance must not take its healthy
 *   siblings out. The library fits: {@code execute} refuses at once when open, half-open lets exactly
 *   one probe through, a success in closed state resets the count (so "failures in a row"). Its own
 *   timeout is off (the proxy's deadline covers the whole call and reports to the breaker) and so
 *   are its event-bus notifications (a periodic publication per instance otherwise).</li>
 *   <li>Open breakers and failed health checks are consulted before any connect, so a dead pool is
 *   answered 503 without touching the network: under a millisecond on the test machine.</li>
 *   <li>A breaker counts what shows an instance failing (connect errors, resets, timeouts, 5xx), but not a
 *   deliberate refusal: a 503 or 429 with {@code Retry-After} is an instance that answered, on time, that it
 *   cannot serve this request now (market-api's history store down or its read pool full). Counted, any key
 *   that can make an instance refuse could open its breakers and take the whole service out for everybody.
 *   Such a refusal is relayed as it came, not retried (see {@code ProxyExchange#deliberateRefusal}).</li>
 *   <li>The request timeout is one deadline for the whole exchange, retries included: the caller
 *   learns the worst case from one number. Timeouts are not retried: a slow read is usually slow
 *   everywhere, and retrying doubles the load on a struggling upstream.</li>
 *   <li>A proxied stream pings its upstream as well as its caller ({@code ws_upstream_ping_interval}, 5 s).
 *   An upstream process that dies closes its sockets and the caller is told at once, but one that hangs
 *   (stopped, its host gone, the network cut) closes nothing, and the upstream client has no idle
 *   timeout: without the ping the caller waited on a silent stream for as long as the hang lasted (the
 *   Java SDK's heartbeat watchdog gives up after 30 s; other clients never), instead of reconnecting to
 *   a healthy instance (found while adding {@code DistributedFaultIT}'s SIGSTOP phase, which now
 *   asserts that the streams move). Health checks and breakers see the
 *   hang too, but they only steer new requests; tying open streams to them would cut every stream of an
 *   instance on one slow health answer.</li>
 *   <li>The caller's {@code X-Forwarded-*} are replaced, not appended to: the gateway is the edge.</li>
 * </ul>
 */
package org.opentrade.gateway.adapter.http.proxy;
