package org.opentrade.exchange.port;

/**
 * What one shard stores: its command journal, engine snapshots, event history and the checkpoints
 * of its durable feed consumers. The shard owns and closes them.
 */
public record ShardStorage(CommandJournal journal, SnapshotStore snapshots, EventLog events,
                           ConsumerCheckpoints consumers) {

    public ShardStorage {
        if (journal == null || snapshots == null || events == null || consumers == null) {
            throw new IllegalArgumentException("a shard needs a journal, a snapshot store, an event log and a"
                    + " consumer checkpoint store");
        }
    }

    /** Opens the storage of shard {@code shard}; called once per shard at start, off the event loop. */
    @FunctionalInterface
    public interface Factory {
        ShardStorage open(int shard);
    }
}
