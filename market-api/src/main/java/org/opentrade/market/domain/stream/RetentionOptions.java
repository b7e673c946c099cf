package org.opentrade.market.domain.stream;

/**
 * How much of a channel's recent history a {@link ChannelLog} keeps for resume: at most
 * {@code maxMessages} messages, none older than {@code maxAgeMs}. Both bounds hold at once.
 *
 * <p>Cost: the worst case is {@code channels × maxMessages × frame size} of heap (about 330 channels
 * for the default 30-instrument universe); the age bound keeps quiet channels far below it. More
 * retention lets a client resume after a longer outage without a gap; less saves heap.
 *
 * @param maxMessages messages kept per channel, at least 1
 * @param maxAgeMs    a message older than this (by the time passed to the log) is dropped, at least 1
 */
public record RetentionOptions(int maxMessages, long maxAgeMs) {
    public static final int DEFAULT_MAX_MESSAGES = 2_000;
    public static final long DEFAULT_MAX_AGE_MS = 60_000;

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
