package org.opentrade.trade.domain.stream;

/**
 * How much of one account's recent order-stream history an {@link AccountLog} keeps for resume: at most
 * {@code maxMessages} messages, none older than {@code maxAgeMs}. Both bounds hold at once.
 *
 * <p>Cost: the worst case is {@code active accounts × maxMessages × frame size} (an order frame is about
 * 400 bytes) of heap; the age bound keeps quiet accounts near zero, and a log with nothing retained and no
 * subscriber is forgotten. More retention lets a client resume after a longer outage without a snapshot;
 * less saves heap.
 *
 * @param maxMessages messages kept per account, at least 1
 * @param maxAgeMs    a message older than this (by the time passed to the log) is dropped, at least 1
 */
public record RetentionOptions(int maxMessages, long maxAgeMs) {
    public static final int DEFAULT_MAX_MESSAGES = 1_000;
    public static final long DEFAULT_MAX_AGE_MS = 120_000;

    public RetentionOptions {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("retention max messages must be at least 1, was " + maxMessages);
        }
        if (maxAgeMs < 1) {
            throw new IllegalArgumentException("retention max age must be at least 1 ms, was " + maxAgeMs);
        }
    }

    public static RetentionOptions defaults() {
        return new RetentionOptions(DEFAULT_MAX_MESSAGES, DEFAULT_MAX_AGE_MS);
    }
}
