package org.opentrade.gateway.adapter.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway reaches the Redis shared by every gateway. Immutable; validated on construction so
 * a bad value stops start-up with a message that names it.
 *
 * @param uri            {@code redis://host:port/db} (or {@code rediss://} for TLS), possibly with
 *                       {@code user:password@}: print it only through {@link #redacted}
 * @param commandTimeout how long one command may take before its stage fails. Short: a slow or
 *                       vanished Redis costs each request at most this much before the gateway applies
 *                       its failure policy; too short: spurious failures under load
 * @param connectTimeout how long opening a connection may take, at start-up and on each reconnect
 * @param keyPrefix      put in front of every Redis key and channel, so environments can share one
 *                       server
 * @param usageRetention how long per-minute usage rows are kept
 */
public record RedisOptions(String uri, Duration commandTimeout, Duration connectTimeout, String keyPrefix,
                           Duration usageRetention) {

    public static final String DEFAULT_URI = "redis://127.0.0.1:6379/0";
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(200);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_KEY_PREFIX = "ot:";
    public static final Duration DEFAULT_USAGE_RETENTION = Duration.ofDays(8);

    public RedisOptions {
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
        requirePositive("redis commandTimeout", commandTimeout);
        requirePositive("redis connectTimeout", connectTimeout);
        requirePositive("redis usageRetention", usageRetention);
        Objects.requireNonNull(keyPrefix, "redis keyPrefix");
    }

    /** The defaults, against {@code uri}. */
    public static RedisOptions of(String uri) {
        return new RedisOptions(uri, DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_KEY_PREFIX,
                DEFAULT_USAGE_RETENTION);
    }

    public RedisOptions withCommandTimeout(Duration value) {
        return new RedisOptions(uri, value, connectTimeout, keyPrefix, usageRetention);
    }

    public RedisOptions withKeyPrefix(String value) {
        return new RedisOptions(uri, commandTimeout, connectTimeout, value, usageRetention);
    }

    public RedisOptions withUsageRetention(Duration value) {
        return new RedisOptions(uri, commandTimeout, connectTimeout, keyPrefix, value);
    }

    /** Without the URI's credentials (a record's own toString would print them). */
    @Override
    public String toString() {
        return "RedisOptions[uri=" + redacted(uri) + ", commandTimeout=" + commandTimeout + ", connectTimeout="
                + connectTimeout + ", keyPrefix=" + keyPrefix + ", usageRetention=" + usageRetention + "]";
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
        if (at < start) {
            return uri;
        }
        return uri.substring(0, start) + "***" + uri.substring(at);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got: " + value);
        }
    }
}
