package org.opentrade.exchange.client.feed;

/**
 * What a shard does when the events it needs next are no longer kept by the exchange (-5010
 * EVENTS_NOT_RETAINED): its position is older than the exchange's {@code first_kept_seq}.
 */
public enum TruncationPolicy {
    /**
     * Fetch the shard's snapshot (every symbol at one sequence, with resting orders), hand it to
     * {@link FeedHandler#onSnapshot} and continue after its sequence. For state a book rebuilds
     * (market data).
     */
    SNAPSHOT,
    /**
     * Stop the shard and call {@link FeedHandler#onTruncated}: nothing is skipped silently. For state
     * a book cannot rebuild (fills, positions); an operator decides, then calls
     * {@link FeedConsumer#restart}.
     */
    ALARM
}
