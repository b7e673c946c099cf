package org.opentrade.exchange.client.feed;

/**
 * The counters behind {@link ShardStats}. Written only on the consumer's thread (one writer, so
 * {@code ++} on a volatile is safe); read from any thread by {@link #snapshot}.
 */
final class ShardCounters {
    final int shard;
    volatile ShardState state = ShardState.RESUMING;
    volatile long delivered;
    volatile long head;
    volatile long checkpointed;
    volatile long resumes;
    volatile long gaps;
    volatile long duplicates;
    volatile long snapshots;
    volatile long bufferOverflows;
    volatile long retries;
    volatile long malformed;
    volatile String lastProblem;

    ShardCounters(int shard) {
        this.shard = shard;
    }

    ShardStats snapshot() {
        return new ShardStats(shard, state, delivered, head, checkpointed, resumes, gaps, duplicates, snapshots,
                bufferOverflows, retries, malformed, lastProblem);
    }
}
