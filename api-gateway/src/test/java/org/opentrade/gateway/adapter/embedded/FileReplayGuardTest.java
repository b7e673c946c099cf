package org.opentrade.gateway.adapter.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.port.ReplayGuard;
import org.opentrade.gateway.port.ReplayGuardContract;

class FileReplayGuardTest extends ReplayGuardContract {
    @TempDir
    Path dir;

    @Override
    protected ReplayGuard newGuard() {
        try {
            return FileReplayGuard.open(Files.createTempDirectory(dir, "guard"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean first(ReplayGuard g, String id, long ttl) throws Exception {
        return g.firstUse(id, ttl).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aSignatureSeenBeforeAKillIsStillSpentAfterTheRestart() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        FileReplayGuard before = FileReplayGuard.open(dir, now::get, 100_000);
        assertTrue(first(before, "key-1:abc", 35_000));
        assertTrue(first(before, "key-1:short", 1_000));
        // No close: the process is killed. A new one opens the same directory a few seconds later.
        now.addAndGet(4_000);
        FileReplayGuard after = FileReplayGuard.open(dir, now::get, 100_000);
        assertFalse(first(after, "key-1:abc", 35_000), "accepted before the restart: spent");
        assertTrue(first(after, "key-1:short", 1_000), "its window had passed: usable");
        assertEquals(2, after.size());
        now.addAndGet(40_000);
        FileReplayGuard later = FileReplayGuard.open(dir, now::get, 100_000);
        assertEquals(0, later.size(), "nothing within its window is left");
        assertTrue(first(later, "key-1:abc", 35_000));
        later.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theFileIsCompactedToWhatIsStillWithinItsWindowAndATornLineIsSkipped() throws Exception {
        AtomicLong now = new AtomicLong(5_000_000);
        FileReplayGuard g = FileReplayGuard.open(dir, now::get, 10);
        for (int i = 0; i < 25; i++) {
            assertTrue(first(g, "k:" + i, 1_000));
            now.addAndGet(100); // the oldest leave their window as the file grows
        }
        long lines = Files.readAllLines(dir.resolve(FileReplayGuard.FILE)).size();
        assertTrue(lines < 25, "rewritten without what expired: " + lines + " lines");
        Files.writeString(dir.resolve(FileReplayGuard.FILE), "99999999999 k:torn-but-whole\n12345", 
                java.nio.file.StandardOpenOption.APPEND);
        FileReplayGuard again = FileReplayGuard.open(dir, now::get, 10);
        assertFalse(first(again, "k:24", 1_000), "the newest is still spent");
        assertFalse(first(again, "k:torn-but-whole", 1_000));
        assertTrue(first(again, "k:0", 1_000), "long expired");
    }

    @Test
    void aFailedCompactionFailsNoRequestAndAppendsGoOn() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        FileReplayGuard g = FileReplayGuard.open(dir, now::get, 5);
        // The rewrite's temporary file cannot be made (a leftover directory there): every compaction fails.
        Files.createDirectories(dir.resolve(FileReplayGuard.FILE + ".tmp").resolve("x"));
        for (int i = 0; i < 20; i++) {
            assertTrue(first(g, "k:" + i, 30_000), "request " + i);
        }
        assertEquals(20, Files.readAllLines(dir.resolve(FileReplayGuard.FILE)).size(), "every request recorded");
        Path copy = Files.createDirectories(dir.resolve("copy")); // a restart, without the leftover in the way
        Files.copy(dir.resolve(FileReplayGuard.FILE), copy.resolve(FileReplayGuard.FILE));
        FileReplayGuard after = FileReplayGuard.open(copy, now::get, 5);
        assertFalse(first(after, "k:19", 30_000), "still spent after a restart");
    }
}
