package org.opentrade.exchange.adapter.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.port.SnapshotStore.Snapshot;

/**
 * Pins the snapshot file format with golden files, so that a change which would make existing
 * snapshots unreadable fails the build. When this test fails because the format changed on
 * purpose: bump {@link FileSnapshotStore#FORMAT_VERSION}, keep reading every older version, and add
 * {@code golden/snapshot-file-v<N>.bin} written by the new code from {@link #GOLDEN} (keep the old
 * fixtures and their "still reads" tests).
 */
class FileSnapshotFormatTest {
    /** The snapshot every golden file holds. */
    static final Snapshot GOLDEN = new Snapshot(42, 117,
            new byte[] {0, 1, 2, 3, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF, 'O', 'T', 'S', 'N'});

    @TempDir
    Path dir;

    private static byte[] golden(int version) {
        String name = "/golden/snapshot-file-v" + version + ".bin";
        try (InputStream in = FileSnapshotFormatTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(long journalSeq) {
        return dir.resolve(String.format("snapshot-%020d.bin", journalSeq));
    }

    private static void assertGolden(Snapshot s) {
        assertEquals(GOLDEN.journalSeq(), s.journalSeq());
        assertEquals(GOLDEN.eventSeq(), s.eventSeq());
        assertArrayEquals(GOLDEN.engineState(), s.engineState());
    }

    @Test
    void theWriterProducesExactlyTheCurrentVersionsGoldenFile() throws IOException {
        new FileSnapshotStore(dir).save(GOLDEN);
        assertArrayEquals(golden(FileSnapshotStore.FORMAT_VERSION), Files.readAllBytes(file(GOLDEN.journalSeq())),
                "the snapshot format changed: bump FileSnapshotStore.FORMAT_VERSION and add a golden file");
    }

    @Test
    void aVersion1FileWrittenBeforeTheVersionFieldStillReads() throws IOException {
        Files.write(file(GOLDEN.journalSeq()), golden(1));
        assertGolden(new FileSnapshotStore(dir).latest().orElseThrow());
    }

    @Test
    void aVersion2FileStillReads() throws IOException {
        Files.write(file(GOLDEN.journalSeq()), golden(2));
        assertGolden(new FileSnapshotStore(dir).latest().orElseThrow());
    }

    @Test
    void aVersion1FileBeyondFourBillionCommandsIsStillToldApartFromAVersionField() throws IOException {
        long journalSeq = (2L << 32) + 5; // the high half after MAGIC reads as 2, the current version
        byte[] state = {9, 8, 7};
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 8 + 4 + state.length + 4);
        CRC32C crc = new CRC32C();
        crc.update(state);
        b.putInt(0x4F54534E).putLong(journalSeq).putLong(77).putInt(state.length).put(state)
                .putInt((int) crc.getValue());
        Files.write(file(journalSeq), b.array());
        Snapshot s = new FileSnapshotStore(dir).latest().orElseThrow();
        assertEquals(journalSeq, s.journalSeq());
        assertEquals(77, s.eventSeq());
        assertArrayEquals(state, s.engineState());
    }

    @Test
    void aFileOfAnUnknownNewerVersionIsSkippedWithAWarningAndTheOlderSnapshotIsUsed() throws IOException {
        FileSnapshotStore store = new FileSnapshotStore(dir);
        store.save(GOLDEN);
        byte[] future = golden(FileSnapshotStore.FORMAT_VERSION).clone();
        ByteBuffer.wrap(future).putInt(4, FileSnapshotStore.FORMAT_VERSION + 1).putLong(8, 50);
        Files.write(file(50), future);

        List<LogRecord> warnings = new ArrayList<>();
        Logger logger = Logger.getLogger(FileSnapshotStore.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            assertGolden(store.latest().orElseThrow());
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(1, warnings.size(), "one warning for the skipped file");
        String message = warnings.get(0).getMessage();
        assertTrue(message.contains(file(50).getFileName().toString()) && message.contains("version " + (FileSnapshotStore.FORMAT_VERSION + 1))
                && message.contains("unknown"), message);
    }
}
