package org.opentrade.exchange.model;

import java.util.List;

/**
 * A run of one shard's events with consecutive sequence numbers, or the answer to a feed request.
 * Live batches carry the events of one or more commands; a heartbeat is a batch without events
 * whose {@code headSeq} tells consumers how far the shard has got, so a lost tail is noticed even
 * when nothing else happens. A replay answer carries at most the asked number of events.
 *
 * @param shard       the shard whose stream this is
 * @param code        {@link ResultCode#OK}, or why a request was refused (e.g.
 *                    {@link ResultCode#EVENTS_NOT_RETAINED}: start from a snapshot)
 * @param message     human-readable detail of a refusal, or null
 * @param headSeq     the shard's last event sequence when the batch was made
 * @param firstKeptSeq the oldest sequence the exchange can still replay (1 when nothing was pruned)
 * @param events      consecutive events, oldest first (may be empty)
 */
public record FeedBatch(int shard, ResultCode code, String message, long headSeq, long firstKeptSeq,
                        List<ExchangeEvent> events) {
    public FeedBatch {
        events = List.copyOf(events);
    }

    /** Live events or a replay page. */
    public static FeedBatch of(int shard, long headSeq, long firstKeptSeq, List<ExchangeEvent> events) {
        return new FeedBatch(shard, ResultCode.OK, null, headSeq, firstKeptSeq, events);
    }

    /** A refused request. */
    public static FeedBatch refused(int shard, ResultCode code, String message, long headSeq, long firstKeptSeq) {
        return new FeedBatch(shard, code, message, headSeq, firstKeptSeq, List.of());
    }

    public boolean isOk() {
        return code == ResultCode.OK;
    }

    /** Sequence of the first event, or 0 when empty. */
    public long firstSeq() {
        return events.isEmpty() ? 0 : events.get(0).seq();
    }

    /** Sequence of the last event, or 0 when empty. */
    public long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }
}
