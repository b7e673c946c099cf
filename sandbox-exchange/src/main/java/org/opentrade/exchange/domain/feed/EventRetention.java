package org.opentrade.exchange.domain.feed;

import java.util.function.LongUnaryOperator;

/**
 * How much event history a shard keeps, as with durable subscriptions (JetStream, JMS): an event is
 * kept until every registered durable consumer has checkpointed past it, and in any case for
 * {@code windowMillis}; a consumer more than {@code maxLagEvents} behind is dropped from the interest
 * set so it cannot hold the disk hostage.
 *
 * @param windowMillis history kept whatever the consumers say (engine time)
 * @param maxLagEvents how far a durable consumer may fall behind before it is dropped
 * @param maxConsumers how many durable consumers one shard tracks
 */
public record EventRetention(long windowMillis, long maxLagEvents, int maxConsumers) {
    public static final long DEFAULT_WINDOW_MILLIS = 24L * 3600 * 1000;
    public static final long DEFAULT_MAX_LAG_EVENTS = 20_000_000L;
    public static final int DEFAULT_MAX_CONSUMERS = 64;

    public EventRetention {
        if (windowMillis < 0) {
            throw new IllegalArgumentException("retention window must be >= 0 ms, got " + windowMillis);
        }
        if (maxLagEvents < 1) {
            throw new IllegalArgumentException("max consumer lag must be >= 1 event, got " + maxLagEvents);
        }
        if (maxConsumers < 1) {
            throw new IllegalArgumentException("max durable consumers must be >= 1, got " + maxConsumers);
        }
    }

    public static EventRetention defaults() {
        return new EventRetention(DEFAULT_WINDOW_MILLIS, DEFAULT_MAX_LAG_EVENTS, DEFAULT_MAX_CONSUMERS);
    }

    /**
     * The highest sequence that may be forgotten: at most the lowest consumer checkpoint, and only
     * events stamped at or before {@code now - windowMillis}. Timestamps are non-decreasing in
     * practice (the edge stamps commands), so a binary search over {@code timestampOf} finds the cut
     * with a few reads.
     *
     * @param timestampOf event time by seq, -1 when the seq is not kept
     * @return 0 when nothing may go
     */
    public long deletableUpTo(long firstSeq, long lastSeq, long now, long minCheckpoint,
                              LongUnaryOperator timestampOf) {
        long hi = Math.min(lastSeq, minCheckpoint);
        long cutoffTime = now - windowMillis;
        long lo = firstSeq;
        long best = 0;
        while (lo <= hi) {
            long mid = lo + (hi - lo) / 2;
            long ts = timestampOf.applyAsLong(mid);
            if (ts >= 0 && ts <= cutoffTime) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }
}
