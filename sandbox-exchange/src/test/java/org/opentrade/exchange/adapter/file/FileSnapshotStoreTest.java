package org.opentrade.exchange.adapter.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.port.SnapshotStore.Snapshot;

class FileSnapshotStoreTest {
    @TempDir
    Path dir;

    @Test
    void newestIntactSnapshotWinsAndOnlyTwoAreKept() {
        FileSnapshotStore store = new FileSnapshotStore(dir);
        assertTrue(store.latest().isEmpty());
        for (long seq = 10; seq <= 40; seq += 10) {
            store.save(new Snapshot(seq, seq * 3, new byte[] {(byte) seq, 1, 2}));
        }
        assertEquals(java.util.List.of(30L, 40L), store.journalSeqs());
        Snapshot s = store.latest().orElseThrow();
        assertEquals(40, s.journalSeq());
        assertEquals(120, s.eventSeq());
        assertArrayEquals(new byte[] {40, 1, 2}, s.engineState());
    }

    @Test
    void corruptNewestSnapshotFallsBackToThePreviousOne() throws IOException {
        FileSnapshotStore store = new FileSnapshotStore(dir);
        store.save(new Snapshot(10, 1, new byte[] {1, 2, 3, 4}));
        store.save(new Snapshot(20, 2, new byte[] {5, 6, 7, 8}));
        Path newest = dir.resolve(String.format("snapshot-%020d.bin", 20));
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.seek(f.length() - 6);
            f.write(0xFF);
        }
        assertEquals(10, store.latest().orElseThrow().journalSeq());
    }
}
