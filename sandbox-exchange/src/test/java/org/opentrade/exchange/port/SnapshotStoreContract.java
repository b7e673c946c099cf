package org.opentrade.exchange.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.port.SnapshotStore.Snapshot;

/**
 * What every {@link SnapshotStore} promises, run against the in-memory store and each real one
 * (extend it and implement the two factory methods). "Newest" means the highest journal sequence.
 */
public abstract class SnapshotStoreContract {
    private SnapshotStore store;

    /** A new, empty store over fresh storage. Called once per test. */
    protected abstract SnapshotStore newStore();

    /**
     * Opens the storage of {@code store} again, as after a restart. A store with nothing to reopen
     * (in memory) returns the same instance, so every test here also holds for it.
     */
    protected abstract SnapshotStore reopen(SnapshotStore store);

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    /** A snapshot whose every field, and the content of its state, depends on {@code journalSeq}. */
    protected static Snapshot snapshot(long journalSeq) {
        return new Snapshot(journalSeq, journalSeq * 3 + 1, new byte[] {(byte) journalSeq, 0, -1, 42});
    }

    /** The last {@link SnapshotStore#KEEP} of ascending {@code seqs}, oldest first. */
    private static List<Long> newestKept(long... seqs) {
        return LongStream.of(seqs).skip(Math.max(0, seqs.length - SnapshotStore.KEEP)).boxed().toList();
    }

    private static void assertSnapshot(Snapshot expected, Snapshot actual) {
        assertEquals(expected.journalSeq(), actual.journalSeq(), "journalSeq");
        assertEquals(expected.eventSeq(), actual.eventSeq(), "eventSeq");
        assertArrayEquals(expected.engineState(), actual.engineState(), "engineState");
    }

    @Test
    void emptyStoreHasNoSnapshot() {
        assertTrue(store.latest().isEmpty());
        assertEquals(List.of(), store.journalSeqs());
    }

    @Test
    void latestIsTheNewestSavedWithEveryFieldIntact() {
        store.save(snapshot(10));
        assertSnapshot(snapshot(10), store.latest().orElseThrow());
        store.save(snapshot(20));
        assertSnapshot(snapshot(20), store.latest().orElseThrow());
    }

    @Test
    void onlyTheKeepNewestAreKeptOldestFirst() {
        long[] seqs = LongStream.rangeClosed(1, SnapshotStore.KEEP + 3).map(i -> 10 * i).toArray();
        for (long seq : seqs) {
            store.save(snapshot(seq));
        }
        assertEquals(newestKept(seqs), store.journalSeqs());
        assertSnapshot(snapshot(seqs[seqs.length - 1]), store.latest().orElseThrow());
    }

    @Test
    void anOlderSnapshotSavedLateDoesNotDisplaceTheNewest() {
        store.save(snapshot(20));
        store.save(snapshot(30));
        store.save(snapshot(10));
        assertSnapshot(snapshot(30), store.latest().orElseThrow());
        assertEquals(30L, store.journalSeqs().get(store.journalSeqs().size() - 1));
        assertTrue(store.journalSeqs().size() <= SnapshotStore.KEEP);
    }

    @Test
    void savingTheSameJournalSeqAgainReplacesIt() {
        store.save(snapshot(10));
        store.save(snapshot(20));
        Snapshot again = new Snapshot(20, 99, new byte[] {9, 9});
        store.save(again);
        assertSnapshot(again, store.latest().orElseThrow());
        assertEquals(newestKept(10, 20), store.journalSeqs());
    }

    @Test
    void emptyAndLargeEngineStatesReadBackExactly() {
        store.save(new Snapshot(1, 0, new byte[0]));
        assertSnapshot(new Snapshot(1, 0, new byte[0]), store.latest().orElseThrow());
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        store.save(new Snapshot(2, 5, big));
        assertSnapshot(new Snapshot(2, 5, big), store.latest().orElseThrow());
    }

    @Test
    void changingAnArrayAfterSaveOrReadDoesNotChangeTheKeptSnapshot() {
        Snapshot saved = snapshot(10);
        store.save(saved);
        saved.engineState()[0] = 77;
        store.latest().orElseThrow().engineState()[1] = 77;
        assertSnapshot(snapshot(10), store.latest().orElseThrow());
    }

    @Test
    void savedSnapshotsAreThereAfterReopen() {
        store.save(snapshot(10));
        store.save(snapshot(20));
        store.save(snapshot(30));
        store = reopen(store);
        assertSnapshot(snapshot(30), store.latest().orElseThrow());
        assertEquals(newestKept(10, 20, 30), store.journalSeqs());
    }
}
