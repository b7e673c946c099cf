package org.opentrade.exchange.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * What every {@link EventLog} promises, run against the in-memory log and each real one (extend it
 * and implement the two factory methods). The test thread is the single writer; the concurrency
 * tests add a writer thread and reader threads and await them with timeouts.
 */
public abstract class EventLogContract {
    /** The shard every test event belongs to. */
    protected static final int SHARD = 3;
    private static final long T0 = 1_700_000_000_000L;
    private static final long AWAIT_SECONDS = 60;

    private EventLog log;

    /** A new, empty log over fresh storage. Called once per test. */
    protected abstract EventLog newLog();

    /**
     * Closes {@code log} (a clean shutdown; the test has committed and forced everything) and opens
     * its storage again. A log with nothing to reopen (in memory) returns the same instance, so
     * every test here also holds for it.
     */
    protected abstract EventLog reopen(EventLog log);

    @BeforeEach
    void openLog() {
        log = newLog();
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    /** A different event per {@code seq}: every type, every field, nulls, non-ASCII, trace or not. */
    protected static ExchangeEvent event(long seq) {
        long t = T0 + 7 * seq;
        String trace = seq % 3 == 0 ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : null;
        return switch ((int) (seq % 5)) {
            case 0 -> new ExchangeEvent(seq, SHARD, EventType.ACCEPTED, seq, "acct-" + seq, 0, null, "600000.SH",
                    Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000 + seq, 100, 100, 0, 0, ResultCode.OK, t, trace);
            case 1 -> new ExchangeEvent(seq, SHARD, EventType.TRADE, seq, "acct-" + seq, seq - 1, "maker-账户",
                    "000001.SZ", Side.SELL, OrderType.MARKET, TimeInForce.IOC, 990, 40, 60, 40, 10, ResultCode.OK, t,
                    trace);
            case 2 -> new ExchangeEvent(seq, SHARD, EventType.REJECTED, 0, null, 0, null, null, null, null, null, 0,
                    0, 0, 0, 0, ResultCode.UNKNOWN_ORDER, t, trace);
            case 3 -> new ExchangeEvent(seq, SHARD, EventType.TRIGGERED, seq, "acct-α", 0, null, "688001.SH",
                    Side.BUY, OrderType.STOP_LIMIT, TimeInForce.DAY, 1500, 200, 200, 0, 0, ResultCode.OK, t, trace);
            default -> new ExchangeEvent(seq, SHARD, EventType.CANCELED, seq, "acct-" + seq, 0, null, "300750.SZ",
                    Side.SELL, OrderType.STOP, TimeInForce.DAY, -1, 70, 0, 30, 0, ResultCode.OK, t, trace);
        };
    }

    protected static List<ExchangeEvent> events(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(EventLogContract::event).toList();
    }

    /** Appends {@code from..to} in batches of {@code perBatch}, committing each batch. */
    private void appendCommitted(long from, long to, int perBatch) {
        for (long start = from; start <= to; start += perBatch) {
            log.append(events(start, Math.min(to, start + perBatch - 1)));
            log.commit();
        }
    }

    private List<ExchangeEvent> read(long afterSeq, int max) {
        List<ExchangeEvent> out = new ArrayList<>();
        int n = log.read(afterSeq, max, out::add);
        assertEquals(out.size(), n, "read returns how many events it handed");
        return out;
    }

    private List<ExchangeEvent> readAll(long afterSeq) {
        return read(afterSeq, Integer.MAX_VALUE);
    }

    /** Compares sequences first (as ranges, for a readable failure), then every event. */
    protected static void assertEvents(List<ExchangeEvent> expected, List<ExchangeEvent> actual) {
        assertEvents(expected, actual, "");
    }

    protected static void assertEvents(List<ExchangeEvent> expected, List<ExchangeEvent> actual, String context) {
        assertEquals(ranges(expected), ranges(actual), context + " (event seqs)");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), context + " (event " + expected.get(i).seq() + ")");
        }
    }

    /** Seqs of {@code events} as ranges: "1..6, 8, 10..12". */
    private static String ranges(List<ExchangeEvent> events) {
        StringBuilder out = new StringBuilder("[");
        int i = 0;
        while (i < events.size()) {
            int j = i;
            while (j + 1 < events.size() && events.get(j + 1).seq() == events.get(j).seq() + 1) {
                j++;
            }
            out.append(out.length() > 1 ? ", " : "").append(events.get(i).seq());
            if (j > i) {
                out.append("..").append(events.get(j).seq());
            }
            i = j + 1;
        }
        return out.append(']').toString();
    }

    @Test
    void emptyLogStartsBeforeSequenceOne() {
        assertEquals(0, log.lastSeq());
        assertEquals(0, log.readableSeq());
        assertEquals(1, log.firstSeq());
        assertEvents(List.of(), readAll(0));
        assertEquals(-1, log.timestampOf(1));
    }

    @Test
    void appendedEventsBecomeReadableOnlyOnCommit() {
        log.append(events(1, 3));
        assertEquals(3, log.lastSeq());
        assertEquals(0, log.readableSeq());
        assertEvents(List.of(), readAll(0));
        log.commit();
        assertEquals(3, log.readableSeq());
        assertEvents(events(1, 3), readAll(0));

        log.append(events(4, 6));
        assertEquals(6, log.lastSeq());
        assertEquals(3, log.readableSeq());
        assertEvents(events(1, 3), readAll(0));
        assertEvents(List.of(), readAll(3));
        log.commit();
        assertEvents(events(1, 6), readAll(0));
    }

    @Test
    void appendRejectsASequenceThatDoesNotContinueTheLogAndAppendsNothingOfTheBatch() {
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(event(2))));
        assertEquals(0, log.lastSeq());
        appendCommitted(1, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(event(2))), "a repeat");
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(event(4))), "a gap");
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(event(3), event(5))), "a gap inside");
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(event(3), event(3))), "a repeat inside");
        assertEquals(2, log.lastSeq());
        log.commit();
        assertEvents(events(1, 2), readAll(0));
        log.append(List.of(event(3)));
        log.commit();
        assertEvents(events(1, 3), readAll(0));
    }

    @Test
    void appendingAnEmptyBatchChangesNothing() {
        appendCommitted(1, 4, 4);
        log.append(List.of());
        log.commit();
        assertEquals(4, log.lastSeq());
        assertEquals(4, log.readableSeq());
    }

    @Test
    void readHandsAtMostMaxEventsInOrderSoCallersCanPage() {
        appendCommitted(1, 1000, 37);
        List<ExchangeEvent> all = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        long after = 0;
        for (int i = 0; i < 10; i++) {
            List<ExchangeEvent> page = read(after, 300);
            pages.add(page.size());
            all.addAll(page);
            after += page.size();
        }
        assertEquals(List.of(300, 300, 300, 100, 0, 0, 0, 0, 0, 0), pages);
        assertEvents(events(1, 1000), all);
    }

    @Test
    void readStartsRightAfterTheGivenSeqAndEndsAtTheLastCommitted() {
        appendCommitted(1, 40, 8);
        assertEvents(events(18, 22), read(17, 5));
        assertEvents(events(31, 40), read(30, 100));
        assertEvents(List.of(event(40)), read(39, 100));
        assertEvents(List.of(), read(40, 100));
        assertEvents(List.of(), read(1_000, 100));
    }

    @Test
    void timestampOfIsTheTimeOfThatEventAndMinusOneForUnknownSeqs() {
        appendCommitted(1, 50, 9);
        for (long seq = 1; seq <= 50; seq++) {
            assertEquals(event(seq).timestamp(), log.timestampOf(seq), "seq " + seq);
        }
        assertEquals(-1, log.timestampOf(0));
        assertEquals(-1, log.timestampOf(-5));
        assertEquals(-1, log.timestampOf(51));
        assertEquals(-1, log.timestampOf(Long.MAX_VALUE));
    }

    @Test
    void truncateAfterDropsLaterEventsAndAppendsContinueRightAfterIt() {
        appendCommitted(1, 10, 3);
        log.truncateAfter(6);
        assertEquals(6, log.lastSeq());
        assertEquals(6, log.readableSeq());
        assertEvents(events(1, 6), readAll(0));
        assertEquals(-1, log.timestampOf(7));
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(event(11))));

        ExchangeEvent recomputed = new ExchangeEvent(7, SHARD, EventType.EXPIRED, 77, "other", 0, null, "600000.SH",
                Side.SELL, OrderType.LIMIT, TimeInForce.DAY, 1234, 5, 0, 0, 0, ResultCode.OK, T0 + 1, null);
        log.append(List.of(recomputed));
        log.commit();
        assertEvents(List.of(recomputed), readAll(6));
        assertEquals(T0 + 1, log.timestampOf(7));
    }

    @Test
    void truncateAfterAlsoDropsAppendedUncommittedEvents() {
        appendCommitted(1, 5, 5);
        log.append(events(6, 8));
        log.truncateAfter(6);
        assertEquals(6, log.lastSeq());
        log.commit();
        assertEquals(6, log.readableSeq());
        assertEvents(events(1, 6), readAll(0));
        log.append(List.of(event(7)));
        log.commit();
        assertEvents(events(1, 7), readAll(0));
    }

    @Test
    void truncateAfterTheLastSeqChangesNothing() {
        appendCommitted(1, 5, 5);
        log.truncateAfter(5);
        log.truncateAfter(9);
        assertEquals(5, log.lastSeq());
        assertEvents(events(1, 5), readAll(0));
    }

    @Test
    void truncationIsKeptAcrossReopen() {
        appendCommitted(1, 300, 25);
        log.force();
        log.truncateAfter(123);
        log.commit();
        log.force();
        log = reopen(log);
        assertEquals(123, log.lastSeq());
        assertEquals(123, log.readableSeq());
        assertEvents(events(1, 123), readAll(0));
        log.append(events(124, 130));
        log.commit();
        assertEvents(events(120, 130), readAll(119));
    }

    @Test
    void committedAndForcedEventsReadBackAfterReopenAndSequencesContinue() {
        appendCommitted(1, 500, 17);
        log.force();
        log = reopen(log);
        assertEquals(500, log.lastSeq());
        assertEquals(500, log.readableSeq());
        assertEquals(1, log.firstSeq());
        assertEvents(events(1, 500), readAll(0));
        assertEquals(event(250).timestamp(), log.timestampOf(250));
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(event(1))));
        log.append(events(501, 510));
        log.commit();
        assertEvents(events(490, 510), readAll(489));
    }

    @Test
    void deleteUpToNeverForgetsLaterEventsAndFirstSeqOnlyMovesForward() {
        int total = 2000;
        appendCommitted(1, total, 50);
        log.force();
        long previousFirst = log.firstSeq();
        long maxUpTo = 0;
        for (long upTo : new long[] {0, 1, 300, 300, 1100, 500, 1999, 1500}) {
            log.deleteUpTo(upTo);
            maxUpTo = Math.max(maxUpTo, upTo);
            long first = log.firstSeq();
            assertTrue(first >= previousFirst, "firstSeq went back from " + previousFirst + " to " + first);
            assertTrue(first <= maxUpTo + 1, "deleteUpTo(" + maxUpTo + ") forgot up to " + (first - 1));
            assertEvents(events(first, total), readAll(first - 1), "after deleteUpTo(" + upTo + ")");
            long after = Math.max(upTo, first - 1);
            assertEvents(events(after + 1, total), readAll(after));
            assertEquals(-1, log.timestampOf(first - 1), "seq " + (first - 1) + " is no longer kept");
            assertEquals(event(first).timestamp(), log.timestampOf(first));
            assertEquals(total, log.lastSeq());
            assertEquals(total, log.readableSeq());
            previousFirst = first;
        }
    }

    @Test
    void readOfPrunedHistoryHandsNothingRatherThanSkippingAhead() {
        appendCommitted(1, 2000, 50);
        log.force();
        log.deleteUpTo(1500);
        long first = log.firstSeq();
        for (long after : new long[] {0, 10, Math.max(0, first - 2), first - 1}) {
            List<ExchangeEvent> got = read(after, 100);
            if (after + 1 < first) {
                assertEvents(List.of(), got, "seq " + (after + 1) + " is pruned (firstSeq " + first + ")");
            } else {
                assertEvents(events(after + 1, Math.min(2000, after + 100)), got);
            }
        }
    }

    @Test
    void deletingEverythingKeepsTheNumbering() {
        appendCommitted(1, 300, 30);
        log.force();
        log.deleteUpTo(300);
        assertTrue(log.firstSeq() <= 301);
        assertEquals(300, log.lastSeq());
        assertEvents(List.of(), readAll(300));
        log.append(List.of(event(301)));
        log.commit();
        assertEvents(List.of(event(301)), readAll(300));
        log.force();
        log = reopen(log);
        assertEquals(301, log.lastSeq());
        assertEvents(List.of(event(301)), readAll(300));
    }

    @Test
    void pruningIsKeptAcrossReopen() {
        appendCommitted(1, 2000, 50);
        log.force();
        log.deleteUpTo(1200);
        long first = log.firstSeq();
        log = reopen(log);
        assertTrue(log.firstSeq() >= first, "firstSeq went back on reopen: " + log.firstSeq());
        assertTrue(log.firstSeq() <= 1201);
        assertEquals(2000, log.lastSeq());
        assertEvents(events(1201, 2000), readAll(1200));
    }

    @Test
    void readersOnOtherThreadsSeeACommittedPrefixInOrderWithoutGapsWhileTheWriterAppends() throws Exception {
        int total = 50_000;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> readers = List.of(
                    threads.submit(() -> readUntil(total, 1 << 16, start)),
                    threads.submit(() -> readUntil(total, 7, start)));
            Future<?> writer = threads.submit(() -> write(total, 0, start));
            start.countDown();
            await(writer);
            for (Future<Long> reader : readers) {
                assertEquals(total, await(reader));
            }
        } finally {
            threads.shutdownNow();
        }
        assertEvents(events(total - 9, total), readAll(total - 10));
    }

    @Test
    void pruningBehindReadersNeverMakesThemSkipAnEvent() throws Exception {
        int total = 50_000;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> readers = List.of(
                    threads.submit(() -> readUntil(total, 1 << 16, start)),
                    threads.submit(() -> readUntil(total, 3, start)));
            Future<?> writer = threads.submit(() -> write(total, 2_000, start));
            start.countDown();
            await(writer);
            for (Future<Long> reader : readers) {
                await(reader); // how far it got depends on scheduling; that it never skipped is checked inside
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * The single writer: appends {@code 1..total} in seeded random batches, committing each; with
     * {@code keep > 0} also forgets all but about the {@code keep} newest after each batch.
     */
    private Void write(int total, int keep, CountDownLatch start) throws InterruptedException {
        start.await();
        Random random = new Random(42);
        long next = 1;
        while (next <= total) {
            long to = Math.min(total, next + random.nextInt(64));
            log.append(events(next, to));
            log.commit();
            if (keep > 0 && to > keep) {
                log.force();
                log.deleteUpTo(to - keep);
            }
            next = to + 1;
        }
        return null;
    }

    /**
     * A reader: pages through the log from the start, checking each event is the next one and was
     * committed, until it has {@code total} or, when pruning overtook it, {@code firstSeq} is past
     * what it needs next. Returns the last seq it saw. Spins (yielding) while caught up; the caller's
     * timeout bounds the wait.
     */
    private long readUntil(int total, int max, CountDownLatch start) throws InterruptedException {
        start.await();
        long[] seen = {0};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (seen[0] < total) {
            long readableBefore = log.readableSeq();
            int n = log.read(seen[0], max, e -> {
                if (!e.equals(event(seen[0] + 1))) {
                    fail("after seq " + seen[0] + " expected " + event(seen[0] + 1) + " but got " + e);
                }
                seen[0]++;
            });
            long readableAfter = log.readableSeq();
            assertTrue(seen[0] <= readableAfter, "handed seq " + seen[0] + " beyond readableSeq " + readableAfter);
            if (n == 0) {
                if (seen[0] + 1 < log.firstSeq()) {
                    return seen[0]; // pruned under us: the caller would resume from a snapshot
                }
                assertTrue(readableBefore <= seen[0],
                        "nothing handed after " + seen[0] + " though readableSeq was " + readableBefore);
                if (System.nanoTime() > deadline) {
                    fail("reader stuck after seq " + seen[0] + ", readableSeq " + readableAfter);
                }
                Thread.yield();
            }
        }
        return seen[0];
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + AWAIT_SECONDS + " s", e);
        }
    }
}
