package org.opentrade.sdk;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a request is tried again: only a request that is safe to repeat (GET or HEAD, or one that
 * carries an {@code Idempotency-Key}; {@link OpenTrade#placeOrder} always sends one), after a 429, a
 * 502/503/504, a timeout or a failed connection; at most {@link #maxAttempts()} attempts. The wait is
 * the answer's {@code Retry-After} when it has one (capped by {@link #maxRetryAfter()}), else
 * exponential back-off with full jitter from {@link #initialBackoff()} to {@link #maxBackoff()}.
 *
 * @param maxAttempts attempts in all, 1 = no retry
 * @param initialBackoff the first back-off (before jitter)
 * @param maxBackoff the longest back-off
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one fails the call at once
 *     ({@link RateLimitException#retryAfter()} tells the caller)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    /** 4 attempts, 100 ms doubling to 2 s, {@code Retry-After} up to 10 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10));
    /** One attempt: errors reach the caller at once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and maxRetryAfter >= 0");
        }
    }

    /** Whether an answer with this status may be tried again (the request itself being safe to repeat). */
    static boolean retryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** The back-off before attempt {@code attempt + 1} (attempt counts from 1): full jitter. */
    Duration backoff(int attempt) {
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when it is neither. */
    static Duration parseRetryAfter(String value) {
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
