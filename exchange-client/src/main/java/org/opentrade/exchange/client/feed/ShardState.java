package org.opentrade.exchange.client.feed;

/** Where one shard of a {@link FeedConsumer} is. */
public enum ShardState {
    /** Catching up by replay (at start, after a gap, after a lost tail); live batches are buffered. */
    RESUMING,
    /** Fetching a shard snapshot because the next events are no longer kept (SNAPSHOT policy). */
    SNAPSHOTTING,
    /** Following the live feed. */
    LIVE,
    /** Stopped: the next events are no longer kept (ALARM policy); waits for {@code restart}. */
    TRUNCATED,
    /**
     * Stopped: the exchange's shard ends before this consumer's position (its data was reset, or it lost
     * events this consumer saw), so the two histories differ (ALARM policy); waits for {@code restart}.
     */
    DIVERGED,
    /** Stopped: the handler failed, or the shard does not exist; waits for {@code restart}. */
    FAILED,
    /** Stopped by {@code stop()}. */
    STOPPED;

    /** True when the shard is not following the feed and only a restart moves it. */
    public boolean isStopped() {
        return this == TRUNCATED || this == DIVERGED || this == FAILED || this == STOPPED;
    }
}
