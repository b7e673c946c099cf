package org.opentrade.trade.port;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Periodic snapshots of trade-api's projection (the ledger, as bytes the ledger encodes itself) with
 * the positions it reflects: the last intent index applied and, per exchange feed partition, the
 * last feed sequence applied. State on start = the latest snapshot + a replay of intents and feed
 * events after those positions.
 *
 * <p>A write is atomic: after a crash at any moment {@link #latest()} returns either the new snapshot
 * or the previous one, never a torn one. The store keeps the last two snapshots, so one damaged file
 * still leaves one to start from.
 *
 * <p>Threads: any thread, one call at a time per store; both methods block on disk (call them off
 * the event loop).
 */
public interface SnapshotStore {

    /** Stores a snapshot durably and atomically; returns once it is durable. */
    void write(long intentIndex, Map<Integer, Long> feedPositions, byte[] ledgerBytes);

    /** The newest intact snapshot, if any. */
    Optional<Snapshot> latest();

    /**
     * One stored snapshot. {@code feedPositions}: feed partition → last feed sequence applied.
     * Arrays are copied in and out, and compared by content.
     */
    record Snapshot(long intentIndex, Map<Integer, Long> feedPositions, byte[] ledgerBytes) {
        public Snapshot {
            if (intentIndex < 0) {
                throw new IllegalArgumentException("intent index must be >= 0, got " + intentIndex);
            }
            feedPositions = Map.copyOf(feedPositions);
            ledgerBytes = ledgerBytes.clone();
        }

        @Override
        public byte[] ledgerBytes() {
            return ledgerBytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && s.intentIndex == intentIndex
                    && s.feedPositions.equals(feedPositions) && Arrays.equals(s.ledgerBytes, ledgerBytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(intentIndex) * 31 * 31 + feedPositions.hashCode() * 31 + Arrays.hashCode(ledgerBytes);
        }

        @Override
        public String toString() {
            return "Snapshot[intentIndex=" + intentIndex + ", feedPositions=" + new TreeMap<>(feedPositions)
                    + ", ledgerBytes=" + ledgerBytes.length + " bytes]";
        }
    }
}
