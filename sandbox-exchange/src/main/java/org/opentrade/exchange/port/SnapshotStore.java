package org.opentrade.exchange.port;

import java.util.Optional;

/** Where a shard keeps its latest engine snapshot. Writes are atomic: a crash leaves the old one. */
public interface SnapshotStore {

    /** A snapshot: the engine state after journal command {@code journalSeq}, plus the event sequence. */
    record Snapshot(long journalSeq, long eventSeq, byte[] engineState) {
    }

    void save(Snapshot snapshot);

    Optional<Snapshot> latest();
}
