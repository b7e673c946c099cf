package org.opentrade.exchange.port;

import java.util.List;
import java.util.Optional;

/**
 * Where a shard keeps its engine snapshots. Writes are atomic: a crash leaves the old one. The store
 * keeps the two newest, so recovery can fall back to the older one when the newest is unreadable
 * (the journal is kept back to the older one).
 */
public interface SnapshotStore {

    /** How many snapshots a store keeps. */
    int KEEP = 2;

    /** A snapshot: the engine state after journal command {@code journalSeq}, plus the event sequence. */
    record Snapshot(long journalSeq, long eventSeq, byte[] engineState) {
    }

    /** Saves a snapshot and drops all but the {@link #KEEP} newest. */
    void save(Snapshot snapshot);

    /** The newest intact snapshot, if any. */
    Optional<Snapshot> latest();

    /** Journal sequences of the kept snapshots, oldest first. */
    List<Long> journalSeqs();
}
