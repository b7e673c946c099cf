package org.opentrade.trade.adapter.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.port.IntentStore;
import org.opentrade.trade.port.IntentStoreContract;
import org.opentrade.trade.port.SampleIntents;

class FileIntentStoreTest extends IntentStoreContract {
    private static final int INSTANCE = 5;
    @TempDir
    Path root;

    private FileIntentStoreOptions options() {
        // Blocks of 1 000: the contract's 25 000 ids cross 25 reservations (each one atomic file write).
        return FileIntentStoreOptions.defaults(root.resolve("intents")).withExchangeIdBlock(1_000)
                .withInstanceId(INSTANCE);
    }

    @Override
    protected IntentStore newStore() {
        return new FileIntentStore(options());
    }

    @Override
    protected int instanceId() {
        return INSTANCE;
    }

    private Path logFile() {
        return root.resolve("intents").resolve(FileIntentStore.LOG_FILE);
    }

    private FileIntentStore reopen() {
        store.close();
        store = new FileIntentStore(options());
        return (FileIntentStore) store;
    }

    /** Byte offset where record {@code n} (from 1) of a log of samples starts, by decoding lengths. */
    private long recordStart(int n) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "r")) {
            long at = FileIntentStore.HEADER_BYTES;
            for (int k = 1; k < n; k++) {
                f.seek(at);
                at += 8 + f.readInt();
            }
            return at;
        }
    }

    @Test
    void intentsSurviveARestartAndNewOnesContinueTheIndexes() throws InterruptedException {
        appendAndAwait(store, 1, 10);
        reopen();
        assertEquals(storedSamples(1, 10), store.readAll());
        assertEquals(10, store.lastIndex());
        assertEquals(List.of(11L, 12L), appendAndAwait(store, 11, 12));
        reopen();
        assertEquals(storedSamples(1, 12), store.readAll());
    }

    private List<org.opentrade.trade.domain.intent.Intent> replayAfter(long index) {
        List<org.opentrade.trade.domain.intent.Intent> out = new java.util.ArrayList<>();
        store.replay(index, out::add);
        return out;
    }

    @Test
    void aPruneTakesEffectAtTheNextOpenWhichDropsThoseIntentsAndKeepsTheIndexesOfTheRest() throws Exception {
        appendAndAwait(store, 1, 40);
        long full = Files.size(logFile());
        store.prune(25);
        assertEquals(storedSamples(1, 40), store.readAll(), "nothing dropped while open");
        reopen();
        assertTrue(Files.size(logFile()) < full / 2, Files.size(logFile()) + " of " + full + " bytes left");
        assertEquals(40, store.lastIndex());
        assertEquals(storedSamples(26, 40), replayAfter(25));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> replayAfter(24));
        assertTrue(refused.getMessage().contains("pruned"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> store.readAll());
        assertEquals(List.of(41L, 42L), appendAndAwait(store, 41, 42));
        reopen(); // the same prune again: nothing more to drop
        assertEquals(storedSamples(26, 42), replayAfter(25));
        store.prune(42); // every intent
        reopen();
        assertEquals(42, store.lastIndex());
        assertEquals(List.of(), replayAfter(42));
        assertEquals(List.of(43L), appendAndAwait(store, 43, 43));
        reopen();
        assertEquals(storedSamples(43, 43), replayAfter(42));
    }

    /** This store, reopened to compact while running whenever a prune frees at least {@code minBytes}. */
    private FileIntentStore reopenCompactingFrom(long minBytes) {
        store.close();
        store = new FileIntentStore(options(), () -> { }, minBytes);
        return (FileIntentStore) store;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(5); // polling a condition, with the deadline above
        }
    }

    private Path compactFile() {
        return logFile().resolveSibling(FileIntentStore.LOG_FILE + FileIntentStore.COMPACT_SUFFIX);
    }

    @Test
    void aPruneThatFreesAsMuchAsItKeepsCompactsTheLogWhileRunningAndAppendsGoOnInTheNewLog() throws Exception {
        FileIntentStore s = reopenCompactingFrom(1);
        appendAndAwait(s, 1, 40);
        long full = Files.size(logFile());
        s.prune(25); // frees 25 intents, keeps 15
        awaitTrue(() -> s.onlineCompactions() == 1, "the compaction");
        assertTrue(Files.size(logFile()) < full / 2, Files.size(logFile()) + " of " + full + " bytes left");
        assertFalse(Files.exists(compactFile()));
        assertEquals(storedSamples(26, 40), replayAfter(25));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> replayAfter(24));
        assertTrue(refused.getMessage().contains("pruned"), refused.getMessage());
        assertEquals(List.of(41L, 42L), appendAndAwait(s, 41, 42));
        assertEquals(storedSamples(26, 42), replayAfter(25));
        reopen();
        assertEquals(42, store.lastIndex());
        assertEquals(storedSamples(26, 42), replayAfter(25));
        assertEquals(List.of(43L), appendAndAwait(store, 43, 43));
    }

    @Test
    void aPruneThatFreesLessThanItKeepsLeavesTheLogToTheNextOpen() throws Exception {
        FileIntentStore s = reopenCompactingFrom(1);
        appendAndAwait(s, 1, 40);
        long full = Files.size(logFile());
        s.prune(10); // frees 10, keeps 30: a copy of 30 to free 10 is not worth it
        appendAndAwait(s, 41, 41);
        assertEquals(0, s.onlineCompactions());
        assertTrue(Files.size(logFile()) > full, "nothing dropped while open");
        assertFalse(Files.exists(compactFile()));
        reopenCompactingFrom(1);
        assertEquals(storedSamples(11, 41), replayAfter(10));
        FileIntentStore big = reopenCompactingFrom(Long.MAX_VALUE);
        appendAndAwait(big, 42, 200);
        big.prune(190); // frees most of the log, but less than the minimum
        appendAndAwait(big, 201, 201);
        assertEquals(0, big.onlineCompactions());
    }

    @Test
    void appendsInFlightDuringACompactionKeepTheirIndexesAndAreAllInTheNewLog() throws Exception {
        FileIntentStore s = reopenCompactingFrom(1);
        appendAndAwait(s, 1, 6_000);
        int more = 2_000; // fewer than the prune frees, however many are written before it looks
        List<Long> called = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(more);
        Thread appender = new Thread(() -> {
            for (long n = 6_001; n <= 6_000 + more; n++) {
                long i = n;
                while (!s.append(org.opentrade.trade.port.SampleIntents.sample(i), index -> {
                    called.add(index);
                    done.countDown();
                })) {
                    Thread.onSpinWait(); // a full queue: try again
                }
            }
        });
        appender.start();
        s.prune(5_900);
        appender.join();
        await(done);
        awaitTrue(() -> s.onlineCompactions() == 1, "the compaction");
        List<Long> expected = new ArrayList<>();
        for (long n = 6_001; n <= 6_000 + more; n++) {
            expected.add(n);
        }
        assertEquals(expected, called, "every append called back once, with its own index, in order");
        assertEquals(storedSamples(5_901, 6_000 + more), replayAfter(5_900));
        reopen();
        assertEquals(6_000 + more, store.lastIndex());
        assertEquals(storedSamples(5_901, 6_000 + more), replayAfter(5_900));
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstIsClosed() throws Exception {
        appendAndAwait(store, 1, 2);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new FileIntentStore(options()));
        assertTrue(refused.getMessage().contains("in use") && refusedMessageNamesUs(refused), refused.getMessage());
        assertEquals(List.of(3L), appendAndAwait(store, 3, 3), "the first store goes on");
        reopen(); // closed, then opened again
        assertEquals(storedSamples(1, 3), store.readAll());
    }

    private static boolean refusedMessageNamesUs(IllegalStateException e) {
        return e.getMessage().contains("pid " + ProcessHandle.current().pid());
    }

    @Test
    void aCompactionACrashCutShortIsDoneAgainAndATornTailAfterItIsStillCut() throws Exception {
        appendAndAwait(store, 1, 10);
        store.prune(4);
        store.close();
        Path compact = logFile().resolveSibling(FileIntentStore.LOG_FILE + FileIntentStore.COMPACT_SUFFIX);
        Files.write(compact, new byte[] {1, 2, 3}); // a crash while copying: the log itself is untouched
        store = new FileIntentStore(options());
        assertFalse(Files.exists(compact), "the stray copy is deleted");
        assertEquals(storedSamples(5, 10), replayAfter(4));
        store.close();
        long end = Files.size(logFile());
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "rw")) {
            f.setLength(end - 3); // a torn last record in the pruned log
        }
        store = new FileIntentStore(options());
        assertEquals(storedSamples(5, 9), replayAfter(4));
        assertEquals(List.of(10L), appendAndAwait(store, 10, 10));
    }

    @Test
    void aDamagedLogIsNotCompactedOpeningReportsTheDamage() throws Exception {
        appendAndAwait(store, 1, 6);
        store.prune(3);
        store.close();
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "rw")) {
            f.seek(recordStart(2) + 12);
            f.write(0x7f); // damage inside record 2, intact records after it
        }
        long size = Files.size(logFile());
        assertThrows(CorruptLogException.class, () -> new FileIntentStore(options()));
        assertEquals(size, Files.size(logFile()), "the damaged log is left as it was");
        store = null;
    }

    @Test
    void closeWritesEveryAcceptedIntentAndRunsItsCallbackFirst() {
        AtomicInteger called = new AtomicInteger();
        for (int n = 1; n <= 500; n++) {
            assertTrue(store.append(SampleIntents.sample(n), i -> called.incrementAndGet()));
        }
        store.close();
        assertEquals(500, called.get());
        store = new FileIntentStore(options());
        assertEquals(storedSamples(1, 500), store.readAll());
    }

    @Test
    void aTornTailIsCutAndTheLogContinuesAfterTheLastIntactIntent() throws Exception {
        appendAndAwait(store, 1, 3);
        store.close();
        long end = Files.size(logFile());
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "rw")) {
            f.setLength(end - 5); // the crash cut the last record short
        }
        store = new FileIntentStore(options());
        assertEquals(storedSamples(1, 2), store.readAll());
        assertEquals(recordStart(3), Files.size(logFile()), "the torn bytes are gone from the file");
        assertEquals(List.of(3L), appendAndAwait(store, 3, 3));
        reopen();
        assertEquals(storedSamples(1, 3), store.readAll());
    }

    @Test
    void aTornRecordHeaderIsCut() throws Exception {
        appendAndAwait(store, 1, 2);
        store.close();
        Files.write(logFile(), new byte[]{0, 0, 1}, java.nio.file.StandardOpenOption.APPEND);
        store = new FileIntentStore(options());
        assertEquals(storedSamples(1, 2), store.readAll());
        assertEquals(recordStart(3), Files.size(logFile()));
    }

    @Test
    void aZeroFilledTailIsCut() throws Exception {
        appendAndAwait(store, 1, 4);
        store.close();
        long end = Files.size(logFile());
        Files.write(logFile(), new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        store = new FileIntentStore(options());
        assertEquals(storedSamples(1, 4), store.readAll());
        assertEquals(end, Files.size(logFile()));
    }

    @Test
    void aLastRecordWithABadChecksumIsCutNotMisread() throws Exception {
        appendAndAwait(store, 1, 3);
        store.close();
        flipByte(recordStart(3) + 8 + 12); // inside the payload of the last record
        store = new FileIntentStore(options());
        assertEquals(storedSamples(1, 2), store.readAll());
    }

    @Test
    void aDamagedRecordWithIntactRecordsAfterItIsRefused() throws Exception {
        appendAndAwait(store, 1, 3);
        store.close();
        flipByte(recordStart(2) + 8 + 12);
        long size = Files.size(logFile());
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> new FileIntentStore(options()));
        store = null;
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("intent 2"),
                e.getMessage());
        assertEquals(size, Files.size(logFile()), "nothing was cut");
    }

    @Test
    void aDamagedLengthWithIntactRecordsAfterItIsRefused() throws Exception {
        appendAndAwait(store, 1, 3);
        store.close();
        flipByte(recordStart(1)); // high byte of the first record's length
        assertThrows(CorruptLogException.class, () -> new FileIntentStore(options()));
        store = null;
    }

    @Test
    void aFileThatIsNotAnIntentLogIsRefused() throws IOException {
        store.close();
        store = null;
        Files.write(logFile(), "hello, this is not a log".getBytes(StandardCharsets.UTF_8));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> new FileIntentStore(options()));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void aNewerFormatVersionIsRefused() throws IOException {
        store.close();
        store = null;
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "rw")) {
            f.seek(4);
            f.writeShort(FileIntentStore.VERSION_PRUNED + 1);
        }
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> new FileIntentStore(options()));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    @Test
    void intentsQueuedDuringAnFsyncAreWrittenAsOneBatchWithOneFsync() throws Exception {
        store.close();
        CountDownLatch firstBatchWritten = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        FileIntentStore s = new FileIntentStore(options(), () -> {
            if (syncs.getAndIncrement() == 0) {
                firstBatchWritten.countDown();
                await(release);
            }
        });
        store = s;
        CountDownLatch done = new CountDownLatch(1_000);
        s.append(SampleIntents.sample(1), i -> done.countDown());
        assertTrue(firstBatchWritten.await(30, TimeUnit.SECONDS));
        for (int n = 2; n <= 1_000; n++) {
            assertTrue(s.append(SampleIntents.sample(n), i -> done.countDown()));
        }
        assertEquals(999, s.queued());
        release.countDown();
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(2, s.fsyncs(), "the first intent's fsync, then one for the 999 that queued behind it");
        assertEquals(2, s.batches());
        assertEquals(storedSamples(1, 1_000), s.readAll());
    }

    @Test
    void noCallbackRunsBeforeItsBatchIsFsynced() throws Exception {
        store.close();
        CountDownLatch inSync = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FileIntentStore s = new FileIntentStore(options(), () -> {
            inSync.countDown();
            await(release);
        });
        store = s;
        CountDownLatch called = new CountDownLatch(1);
        s.append(SampleIntents.sample(1), i -> called.countDown());
        assertTrue(inSync.await(30, TimeUnit.SECONDS));
        assertEquals(1, called.getCount(), "written but not yet fsynced: no callback");
        assertEquals(List.of(), s.readAll(), "readers see only durable intents");
        release.countDown();
        assertTrue(called.await(30, TimeUnit.SECONDS));
        assertEquals(1, s.fsyncs());
    }

    @Test
    void aFullQueueRefusesAppendsWithoutUsingAnIndex() throws Exception {
        store.close();
        CountDownLatch inSync = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FileIntentStore s = new FileIntentStore(options().withQueueCapacity(8), () -> {
            inSync.countDown();
            await(release);
        });
        store = s;
        List<Long> called = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(10);
        s.append(SampleIntents.sample(1), i -> {
            called.add(i);
            done.countDown();
        });
        assertTrue(inSync.await(30, TimeUnit.SECONDS)); // the writer holds intent 1; the queue is empty
        for (int n = 2; n <= 9; n++) {
            assertTrue(s.append(SampleIntents.sample(n), i -> {
                called.add(i);
                done.countDown();
            }));
        }
        assertFalse(s.append(SampleIntents.sample(99), i -> called.add(-i)), "the 9th queued intent is refused");
        assertEquals(9, s.lastIndex());
        release.countDown();
        assertTrue(s.append(SampleIntents.sample(10), i -> {
            called.add(i);
            done.countDown();
        }) || retryUntilAccepted(s, 10, called, done));
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), called);
        assertEquals(storedSamples(1, 10), s.readAll());
    }

    private static boolean retryUntilAccepted(FileIntentStore s, long n, List<Long> called, CountDownLatch done) {
        while (!s.append(SampleIntents.sample(n), i -> {
            called.add(i);
            done.countDown();
        })) {
            Thread.onSpinWait();
        }
        return true;
    }

    @Test
    void withoutFsyncCallbacksStillRunAfterTheWriteAndNothingIsForced() throws Exception {
        store.close();
        FileIntentStore s = new FileIntentStore(options().withFsync(FsyncPolicy.NONE));
        store = s;
        appendAndAwait(s, 1, 50);
        assertEquals(0, s.fsyncs());
        assertTrue(s.batches() >= 1);
        assertEquals(storedSamples(1, 50), reopen().readAll());
    }

    @Test
    void exchangeIdsAfterARestartAreAboveEveryIdHandedOutBefore() {
        store.close();
        store = new FileIntentStore(options().withExchangeIdBlock(7));
        long max = 0;
        for (int k = 0; k < 10; k++) { // 10 ids with blocks of 7: the second block is reserved
            max = Math.max(max, store.nextExchangeId());
        }
        store.close();
        store = new FileIntentStore(options().withExchangeIdBlock(7));
        long next = store.nextExchangeId();
        assertTrue(next > max, next + " > " + max);
        assertEquals(15, ExchangeOrderIds.sequenceOf(next), "continues above the reserved block 8..14");
    }

    @Test
    void aDirectoryOfAnotherInstanceIsRefusedForExchangeIds() {
        store.nextExchangeId();
        store.close();
        store = null;
        CorruptLogException e = assertThrows(CorruptLogException.class,
                () -> new FileIntentStore(options().withInstanceId(INSTANCE + 1)));
        assertTrue(e.getMessage().contains("instance " + INSTANCE), e.getMessage());
    }

    @Test
    void anIntentTooLargeForARecordIsRefusedBeforeItGetsAnIndex() {
        store.close();
        store = new FileIntentStore(new FileIntentStoreOptions(root.resolve("small"), FsyncPolicy.FSYNC_BATCH, 16,
                16, 256, 10, 0));
        Intent big = org.opentrade.trade.domain.intent.KillSwitch.of("a", true, "x".repeat(300), 1);
        assertThrows(IllegalArgumentException.class, () -> store.append(big, i -> { }));
        Intent huge = org.opentrade.trade.domain.intent.KillSwitch.of("a", true, "x".repeat(70_000), 1);
        assertThrows(IllegalArgumentException.class, () -> store.append(huge, i -> { }));
        assertEquals(0, store.lastIndex());
    }

    @Test
    void badOptionsAreRefusedNamingTheKnob() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options().withQueueCapacity(0));
        assertTrue(e.getMessage().contains("queueCapacity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> options().withInstanceId(1024));
        assertTrue(e.getMessage().contains("instance id"), e.getMessage());
    }

    /**
     * A child JVM appends sample intents as fast as it can and prints each index when its durable
     * callback runs (and each exchange id it takes); the parent kills it with SIGKILL mid-stream.
     */
    @Test
    @Timeout(300)
    void aKillDuringAppendsLosesNoAcknowledgedIntent() throws Exception {
        store.close();
        store = null;
        Path dir = root.resolve("killed");
        Path err = root.resolve("child.err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), AppendingChild.class.getName(),
                dir.toString()).redirectError(err.toFile()).start();
        List<Long> durable = new ArrayList<>();
        long maxExchangeId = 0;
        boolean killed = false;
        String refusedWhileRunning = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("D ")) {
                    durable.add(Long.parseLong(line.substring(2)));
                } else if (line.startsWith("X ")) {
                    maxExchangeId = Math.max(maxExchangeId, Long.parseLong(line.substring(2)));
                }
                if (refusedWhileRunning == null && durable.size() >= AppendingChild.KILL_AFTER / 2) {
                    // The child holds the directory: a second process's store is refused, naming it.
                    refusedWhileRunning = assertThrows(IllegalStateException.class,
                            () -> new FileIntentStore(AppendingChild.options(dir))).getMessage();
                }
                if (!killed && durable.size() >= AppendingChild.KILL_AFTER) {
                    // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe,
                    // and the lines the child printed before it died must still be read.
                    child.toHandle().destroyForcibly();
                    killed = true;
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child ended");
        assertTrue(killed, "the child was killed, not ended on its own: " + Files.readString(err));
        assertTrue(durable.size() >= AppendingChild.KILL_AFTER);
        for (int k = 0; k < durable.size(); k++) {
            assertEquals(k + 1, durable.get(k), "callbacks ran in index order");
        }
        assertTrue(maxExchangeId > 0, "the child took exchange ids");
        assertTrue(refusedWhileRunning != null && refusedWhileRunning.contains("pid " + child.pid()), refusedWhileRunning);

        FileIntentStore reopened = new FileIntentStore(AppendingChild.options(dir)); // the kill freed the lock
        store = reopened;
        List<Intent> all = reopened.readAll();
        assertTrue(all.size() >= durable.size(), all.size() + " intents read back, " + durable.size()
                + " were acknowledged");
        for (int k = 0; k < all.size(); k++) {
            assertEquals(SampleIntents.stored(k + 1), all.get(k));
        }
        long next = reopened.nextExchangeId();
        assertTrue(next > maxExchangeId, next + " > " + maxExchangeId);
        assertEquals(List.of((long) all.size() + 1), appendAndAwait(reopened, all.size() + 1, all.size() + 1),
                "appends continue after the last intent read back");
    }

    /** The child of {@link #aKillDuringAppendsLosesNoAcknowledgedIntent}. */
    public static final class AppendingChild {
        static final int KILL_AFTER = 3_000;
        /** The child stops by itself after this many, should the parent have gone away. */
        static final int LIMIT = 2_000_000;

        static FileIntentStoreOptions options(Path dir) {
            return FileIntentStoreOptions.defaults(dir).withExchangeIdBlock(50).withInstanceId(9);
        }

        public static void main(String[] args) {
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            FileIntentStore store = new FileIntentStore(options(Path.of(args[0])));
            for (long n = 1; n <= LIMIT; n++) {
                if (n % 10 == 0) {
                    long id = store.nextExchangeId();
                    out.println("X " + id);
                }
                while (!store.append(SampleIntents.sample(n), i -> out.println("D " + i))) {
                    Thread.onSpinWait();
                }
            }
            Runtime.getRuntime().halt(3);
        }
    }

    private void flipByte(long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test hook waited too long");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
