package org.opentrade.exchange.adapter.disruptor;

import org.opentrade.common.metrics.Histogram;

/**
 * What every batch of every shard of this process cost, for {@code /metrics}: the journal's group commit
 * (the fsync under the batch policy: the floor of every order's latency), the standby's acknowledgement (a
 * failover leader only) and the commands per batch (how far the group commit spreads that cost). Recorded
 * on the shard threads, once per batch; read from any thread.
 */
public final class ShardTimings {
    private static final double[] SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 1};
    private static final double[] COMMANDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};

    final Histogram journalCommit = Histogram.seconds(SECONDS);
    final Histogram replication = Histogram.seconds(SECONDS);
    final Histogram batchCommands = Histogram.counts(COMMANDS);

    /** Batches whose journal commit was timed so far. */
    public long commits() {
        return journalCommit.count();
    }

    /** Batches the standby acknowledged so far. */
    public long replications() {
        return replication.count();
    }

    /** Batches that carried at least one command so far. */
    public long batches() {
        return batchCommands.count();
    }

    /** The three histograms in the Prometheus text format. */
    public void appendPrometheus(StringBuilder b) {
        journalCommit.appendPrometheus(b, "opentrade_exchange_journal_commit_seconds",
                "Time of each batch's journal commit (one fsync per batch under the batch policy).");
        replication.appendPrometheus(b, "opentrade_exchange_replication_seconds",
                "Time for the standby to acknowledge a batch before it runs (a failover leader only).");
        batchCommands.appendPrometheus(b, "opentrade_exchange_batch_commands",
                "Commands per batch: each batch is journaled with one commit and published as one.");
    }
}
