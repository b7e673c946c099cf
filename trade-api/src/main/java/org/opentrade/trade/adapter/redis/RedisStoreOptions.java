package org.opentrade.trade.adapter.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;

/**
 * How trade-api keeps its intents and snapshots in Redis (distributed mode). Immutable; validated on
 * construction so a bad value stops start-up with a message that names it.
 *
 * <p>Keys: {@code keyPrefix + "trade:" + instanceId + ":" + name} — each trade-api instance has its own
 * key space on a shared server ({@code intents}, {@code exchange-ids}, {@code snapshot:<n>},
 * {@code snapshots}, {@code snapshot-seq}).
 *
 * @param uri             {@code redis://host:port/db} (or {@code rediss://}), possibly with
 *                        {@code user:password@}: print it only through {@link #redacted}
 * @param instanceId      this trade-api instance, 0..1023 (the top bits of its exchange order ids, and
 *                        its key space): unique among instances sharing an exchange
 * @param keyPrefix       in front of every key, so environments can share one server
 * @param commandTimeout  how long one command may take. An intent append that times out stops the
 *                        store (its outcome is unknown); longer: fewer spurious stops under load
 * @param connectTimeout  how long opening the connection may take
 * @param maxInFlight     appends sent and not yet acknowledged before {@code append} answers false
 *                        (backpressure; the caller answers 503)
 * @param exchangeIdBlock exchange ids reserved per {@code INCRBY}: larger, fewer round trips; more ids
 *                        skipped after a restart
 * @param waitReplicas    after each intent, {@code WAIT} for this many replicas before it counts as
 *                        durable (0: no WAIT; durability is then the server's own persistence only)
 * @param keepSnapshots   newest snapshots kept (at least 1; 2 leaves one if the newest is damaged)
 */
public record RedisStoreOptions(String uri, int instanceId, String keyPrefix, Duration commandTimeout,
                                Duration connectTimeout, int maxInFlight, int exchangeIdBlock, int waitReplicas,
                                int keepSnapshots) {
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379/0";
    public static final String DEFAULT_KEY_PREFIX = "ot:";
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_IN_FLIGHT = 65_536;
    public static final int DEFAULT_EXCHANGE_ID_BLOCK = 10_000;
    public static final int DEFAULT_WAIT_REPLICAS = 0;
    public static final int DEFAULT_KEEP_SNAPSHOTS = 2;

    public RedisStoreOptions {
        Objects.requireNonNull(uri, "redis uri");
        String scheme;
        try {
            scheme = URI.create(uri).getScheme();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redis uri is not a URI: " + redacted(uri));
        }
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("redis uri must start with redis:// or rediss://, got: " + redacted(uri));
        }
        ExchangeOrderIds.requireInstanceId(instanceId);
        Objects.requireNonNull(keyPrefix, "redis keyPrefix");
        requirePositive("redis commandTimeout", commandTimeout);
        requirePositive("redis connectTimeout", connectTimeout);
        requireAtLeast("redis maxInFlight", maxInFlight, 1);
        requireAtLeast("redis exchangeIdBlock", exchangeIdBlock, 1);
        requireAtLeast("redis waitReplicas", waitReplicas, 0);
        requireAtLeast("redis keepSnapshots", keepSnapshots, 1);
    }

    /** The defaults, against {@code uri}, as instance {@code instanceId}. */
    public static RedisStoreOptions of(String uri, int instanceId) {
        return new RedisStoreOptions(uri, instanceId, DEFAULT_KEY_PREFIX, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT, DEFAULT_EXCHANGE_ID_BLOCK, DEFAULT_WAIT_REPLICAS,
                DEFAULT_KEEP_SNAPSHOTS);
    }

    public RedisStoreOptions withKeyPrefix(String value) {
        return new RedisStoreOptions(uri, instanceId, value, commandTimeout, connectTimeout, maxInFlight,
                exchangeIdBlock, waitReplicas, keepSnapshots);
    }

    public RedisStoreOptions withExchangeIdBlock(int value) {
        return new RedisStoreOptions(uri, instanceId, keyPrefix, commandTimeout, connectTimeout, maxInFlight, value,
                waitReplicas, keepSnapshots);
    }

    public RedisStoreOptions withWaitReplicas(int value) {
        return new RedisStoreOptions(uri, instanceId, keyPrefix, commandTimeout, connectTimeout, maxInFlight,
                exchangeIdBlock, value, keepSnapshots);
    }

    public RedisStoreOptions withKeepSnapshots(int value) {
        return new RedisStoreOptions(uri, instanceId, keyPrefix, commandTimeout, connectTimeout, maxInFlight,
                exchangeIdBlock, waitReplicas, value);
    }

    public RedisStoreOptions withMaxInFlight(int value) {
        return new RedisStoreOptions(uri, instanceId, keyPrefix, commandTimeout, connectTimeout, value,
                exchangeIdBlock, waitReplicas, keepSnapshots);
    }

    /** {@code keyPrefix + "trade:" + instanceId + ":" + name}. */
    public String key(String name) {
        return keyPrefix + "trade:" + instanceId + ":" + name;
    }

    /** Without the URI's credentials (a record's own toString would print them). */
    @Override
    public String toString() {
        return "RedisStoreOptions[uri=" + redacted(uri) + ", instanceId=" + instanceId + ", keyPrefix=" + keyPrefix
                + ", commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout + ", maxInFlight="
                + maxInFlight + ", exchangeIdBlock=" + exchangeIdBlock + ", waitReplicas=" + waitReplicas
                + ", keepSnapshots=" + keepSnapshots + "]";
    }

    /**
     * {@code uri} fit for a message or a log line: any user and password ({@code user:pass@}) replaced
     * by {@code ***}. Never print a Redis URI without this.
     */
    public static String redacted(String uri) {
        if (uri == null) {
            return "null";
        }
        int scheme = uri.indexOf("://");
        int start = scheme >= 0 ? scheme + 3 : 0;
        int at = uri.lastIndexOf('@');
        return at < start ? uri : uri.substring(0, start) + "***" + uri.substring(at);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got: " + value);
        }
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got: " + value);
        }
    }
}
