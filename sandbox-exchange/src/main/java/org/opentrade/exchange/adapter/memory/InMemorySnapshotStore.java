package org.opentrade.exchange.adapter.memory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * Snapshots held in memory, the {@link #KEEP} newest by journal sequence; saving the same journal
 * sequence again replaces it. The engine state is copied in and out, so neither the saver nor a
 * reader can change a kept snapshot through its array. Thread-safe (one lock); a save costs one
 * copy of the state.
 */
public final class InMemorySnapshotStore implements SnapshotStore {
    private final TreeMap<Long, Snapshot> byJournalSeq = new TreeMap<>();

    @Override
    public synchronized void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        byJournalSeq.put(snapshot.journalSeq(), copy(snapshot));
        while (byJournalSeq.size() > KEEP) {
            byJournalSeq.pollFirstEntry();
        }
    }

    @Override
    public synchronized Optional<Snapshot> latest() {
        return byJournalSeq.isEmpty() ? Optional.empty() : Optional.of(copy(byJournalSeq.lastEntry().getValue()));
    }

    @Override
    public synchronized List<Long> journalSeqs() {
        return List.copyOf(byJournalSeq.keySet());
    }

    private static Snapshot copy(Snapshot s) {
        return new Snapshot(s.journalSeq(), s.eventSeq(), s.engineState().clone());
    }
}
