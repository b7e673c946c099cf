package org.opentrade.trade.adapter.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.port.SnapshotStore;
import org.opentrade.trade.port.SnapshotStore.Snapshot;
import org.opentrade.trade.port.SnapshotStoreContract;

class FileSnapshotStoreTest extends SnapshotStoreContract {
    @TempDir
    Path root;

    private Path dir() {
        return root.resolve("snapshots");
    }

    @Override
    protected SnapshotStore newStore() {
        return new FileSnapshotStore(dir());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theLatestSnapshotSurvivesARestart() {
        store.write(41, Map.of(0, 1_000L, 1, 7L), new byte[]{9, 8, 7});
        assertEquals(Optional.of(new Snapshot(41, Map.of(0, 1_000L, 1, 7L), new byte[]{9, 8, 7})),
                new FileSnapshotStore(dir()).latest());
    }

    @Test
    void onlyTheLastTwoSnapshotsAreKept() throws IOException {
        for (int k = 1; k <= 5; k++) {
            store.write(k, Map.of(0, (long) k), new byte[]{(byte) k});
        }
        assertEquals(List.of(String.format("snapshot-%020d.snap", 4), String.format("snapshot-%020d.snap", 5)),
                files());
        assertEquals(5, store.latest().orElseThrow().intentIndex());
    }

    @Test
    void aDamagedNewestSnapshotFallsBackToThePreviousOne() throws IOException {
        store.write(1, Map.of(0, 10L), new byte[]{1});
        store.write(2, Map.of(0, 20L), new byte[1_000]);
        Path newest = dir().resolve(String.format("snapshot-%020d.snap", 2));
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.seek(500);
            f.write(42);
        }
        assertEquals(Optional.of(new Snapshot(1, Map.of(0, 10L), new byte[]{1})),
                new FileSnapshotStore(dir()).latest());
    }

    @Test
    void aSnapshotWrittenAfterRestartDoesNotOverwriteAnOlderOne() throws IOException {
        store.write(1, Map.of(), new byte[]{1});
        SnapshotStore again = new FileSnapshotStore(dir());
        again.write(2, Map.of(), new byte[]{2});
        assertEquals(2, files().size());
        assertEquals(2, again.latest().orElseThrow().intentIndex());
    }

    /**
     * A child JVM writes snapshot A, then halts while writing B after B's temp file is durable and
     * before its rename: A is still the latest, and the temp file is cleaned away.
     */
    @Test
    @Timeout(120)
    void aCrashBetweenTempWriteAndRenameLeavesThePreviousSnapshot() throws Exception {
        Path log = root.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), CrashingSnapshotWriter.class.getName(),
                dir().toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child finished");
        assertEquals(CrashingSnapshotWriter.EXIT_CODE, child.exitValue(), Files.readString(log));
        assertTrue(files().stream().anyMatch(n -> n.endsWith(".tmp")), "the crash left B's temp file: " + files());

        FileSnapshotStore reopened = new FileSnapshotStore(dir());
        assertEquals(Optional.of(CrashingSnapshotWriter.A), reopened.latest());
        assertEquals(List.of(String.format("snapshot-%020d.snap", 1)), files(), "temp file removed on open");
        reopened.write(3, Map.of(), new byte[]{3});
        assertEquals(3, reopened.latest().orElseThrow().intentIndex());
    }

    /** The child of {@link #aCrashBetweenTempWriteAndRenameLeavesThePreviousSnapshot}. */
    public static final class CrashingSnapshotWriter {
        static final int EXIT_CODE = 77;
        static final Snapshot A = new Snapshot(10, Map.of(0, 100L, 2, 5L), new byte[]{1, 2, 3});

        public static void main(String[] args) {
            try {
                int[] writes = {0};
                FileSnapshotStore store = new FileSnapshotStore(Path.of(args[0]), () -> {
                    if (++writes[0] == 2) {
                        Runtime.getRuntime().halt(EXIT_CODE);
                    }
                });
                store.write(A.intentIndex(), A.feedPositions(), A.ledgerBytes());
                store.write(20, Map.of(0, 200L), new byte[64 * 1024]);
                Runtime.getRuntime().halt(1);
            } catch (Throwable t) {
                t.printStackTrace();
                Runtime.getRuntime().halt(2);
            }
        }
    }
}
