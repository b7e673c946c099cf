package org.opentrade.exchange.adapter.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.port.SnapshotStore.Snapshot;
import org.opentrade.exchange.port.SnapshotStore;
import org.opentrade.exchange.port.SnapshotStoreContract;

/** The port's contract on files, plus what only files can do: be damaged or left half-written. */
class FileSnapshotStoreTest extends SnapshotStoreContract {
    @TempDir
    Path dir;

    @Override
    protected SnapshotStore newStore() {
        return new FileSnapshotStore(dir);
    }

    @Override
    protected SnapshotStore reopen(SnapshotStore store) {
        return new FileSnapshotStore(dir);
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

    @Test
    void truncatedNewestSnapshotFallsBackToThePreviousOne() throws IOException {
        FileSnapshotStore store = new FileSnapshotStore(dir);
        store.save(new Snapshot(10, 1, new byte[] {1, 2, 3, 4}));
        store.save(new Snapshot(20, 2, new byte[] {5, 6, 7, 8}));
        for (long keep : new long[] {30, 20, 6, 2, 0}) {
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve(String.format("snapshot-%020d.bin", 20)).toFile(),
                    "rw")) {
                f.setLength(keep);
            }
            assertEquals(10, store.latest().orElseThrow().journalSeq(), "newest cut to " + keep + " bytes");
        }
    }

    @Test
    void aTemporaryFileLeftByACrashIsIgnoredAndOverwritten() throws IOException {
        Files.write(dir.resolve("snapshot.tmp"), new byte[] {1, 2, 3});
        FileSnapshotStore store = new FileSnapshotStore(dir);
        assertEquals(List.of(), store.journalSeqs());
        store.save(new Snapshot(5, 9, new byte[] {7}));
        assertEquals(5, store.latest().orElseThrow().journalSeq());
        assertEquals(List.of(5L), store.journalSeqs());
    }
}
