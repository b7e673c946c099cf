package org.opentrade.exchange.client.feed;

import java.util.List;

/**
 * The exchange's answer to an info request: how many shards it runs and, per shard, the last
 * sequence and the oldest one it can still replay.
 *
 * @param shards        number of shards, at least 1
 * @param headSeqs      per shard, the last event sequence (0 before the first event)
 * @param firstKeptSeqs per shard, the oldest replayable sequence (1 when nothing was pruned)
 */
public record FeedInfo(int shards, List<Long> headSeqs, List<Long> firstKeptSeqs) {
    public FeedInfo {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        headSeqs = List.copyOf(headSeqs);
        firstKeptSeqs = List.copyOf(firstKeptSeqs);
        if (headSeqs.size() != shards || firstKeptSeqs.size() != shards) {
            throw new IllegalArgumentException("head_seq and first_kept_seq need one entry per shard (" + shards
                    + "), got " + headSeqs.size() + " and " + firstKeptSeqs.size());
        }
    }

    public long headSeq(int shard) {
        return headSeqs.get(shard);
    }

    public long firstKeptSeq(int shard) {
        return firstKeptSeqs.get(shard);
    }
}
