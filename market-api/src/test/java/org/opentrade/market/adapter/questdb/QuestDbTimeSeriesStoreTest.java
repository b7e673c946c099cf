package org.opentrade.market.adapter.questdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;
import org.opentrade.market.port.TimeSeriesStoreContract;

/** The contract suite on the embedded QuestDB store, plus what only an on-disk engine can get wrong. */
class QuestDbTimeSeriesStoreTest extends TimeSeriesStoreContract {
    private static final long MIN = 60_000L;

    /** Holds the store's directory and nothing else, so stray files show up. */
    @TempDir
    Path root;

    private Path storeDir() {
        return root.resolve("questdb");
    }

    @Override
    protected TimeSeriesStore newStore() {
        return new QuestDbTimeSeriesStore(storeDir());
    }

    @Override
    protected TimeSeriesStore reopen(TimeSeriesStore old) {
        old.close();
        return new QuestDbTimeSeriesStore(storeDir());
    }

    @Test
    void historyWrittenBeforeAKillIsThereAfterRestart() throws Exception {
        store.close();
        store = null;
        // A child JVM writes, commits one more WAL transaction that it never applies, and halts
        // without closing anything (no shutdown hooks, writers and locks left as they were).
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), storeDir().toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished");
        String log = Files.readString(root.resolve("child.log"));
        assertEquals(CrashingWriter.EXIT_CODE, child.exitValue(), log);
        Files.delete(root.resolve("child.log"));

        store = new QuestDbTimeSeriesStore(storeDir());
        assertEquals(CrashingWriter.bars(), store.bars(CrashingWriter.SYMBOL, Interval.M1, 0, Long.MAX_VALUE, 100));
        List<Trade> newestFirst = new ArrayList<>(CrashingWriter.trades());
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst,
                store.trades(CrashingWriter.SYMBOL, 0, Long.MAX_VALUE, Long.MAX_VALUE, 100));
        assertEquals(Map.of(3, 77L), store.checkpoints());
        assertEquals(List.of(CrashingWriter.unappliedBar()),
                store.bars(CrashingWriter.UNAPPLIED_SYMBOL, Interval.D1, 0, Long.MAX_VALUE, 10),
                "a transaction committed to the WAL but not applied before the kill is applied on open");
    }

    @Test
    void noFileIsCreatedOutsideTheStoreDirectory() throws IOException {
        Set<String> workingDirBefore = list(Path.of("").toAbsolutePath());
        String s = uniqueSymbol();
        store.writeBars(Interval.M1, List.of(bar(s, Interval.M1, T0, 1000)));
        store.writeBars(Interval.D1, List.of(bar(s, Interval.D1, T0, 1000)));
        store.replaceBars(s, Interval.M1, T0, T0 + MIN, List.of());
        store.writeTrades(List.of(trade(s, 1, T0, 1000)));
        store.checkpoint(0, 1);
        store.bars(s, Interval.M1, 0, Long.MAX_VALUE, 10);
        store.trades(s, 0, Long.MAX_VALUE, Long.MAX_VALUE, 10);
        store.close();
        store = null;
        assertEquals(Set.of("questdb"), list(root));
        assertEquals(workingDirBefore, list(Path.of("").toAbsolutePath()));
    }

    @Test
    void noTelemetryTableIsCreated() throws IOException {
        store.writeTrades(List.of(trade(uniqueSymbol(), 1, T0, 1000)));
        try (Stream<Path> all = Files.walk(storeDir())) {
            List<String> telemetry = all.map(p -> p.getFileName().toString())
                    .filter(n -> n.toLowerCase().contains("telemetry")).collect(Collectors.toList());
            assertEquals(List.of(), telemetry);
        }
        QuestDbTimeSeriesStore q = (QuestDbTimeSeriesStore) store;
        assertEquals(null, q.engine().getTableTokenIfExists("telemetry"));
        assertEquals(null, q.engine().getTableTokenIfExists("telemetry_config"));
    }

    @Test
    void theStoreOpensNoListeningSocket() throws IOException {
        store.close();
        Set<String> before = listeningSocketsOfThisProcess();
        store = new QuestDbTimeSeriesStore(storeDir());
        String s = uniqueSymbol();
        store.writeBars(Interval.M1, List.of(bar(s, Interval.M1, T0, 1000)));
        store.bars(s, Interval.M1, 0, Long.MAX_VALUE, 10);
        assertEquals(before, listeningSocketsOfThisProcess());
    }

    @Test
    void aBackfillOf120DaysOfMinuteBarsWritesAndReadsBack() {
        String s = uniqueSymbol();
        List<Bar> bars = new ArrayList<>();
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        LocalDate day = LocalDate.of(2025, 9, 1);
        for (int d = 0; d < 120; d++, day = day.plusDays(1)) {
            long morning = day.atTime(LocalTime.of(9, 30)).atZone(shanghai).toInstant().toEpochMilli();
            long afternoon = day.atTime(LocalTime.of(13, 0)).atZone(shanghai).toInstant().toEpochMilli();
            for (int m = 0; m < 120; m++) {
                bars.add(bar(s, Interval.M1, morning + m * MIN, 1000 + (d * 240 + m) % 997));
                bars.add(bar(s, Interval.M1, afternoon + m * MIN, 1000 + (d * 240 + 120 + m) % 997));
            }
        }
        bars.sort((a, b) -> Long.compare(a.time(), b.time()));
        assertEquals(28_800, bars.size());
        store.writeBars(Interval.M1, bars);

        assertEquals(bars, store.bars(s, Interval.M1, 0, Long.MAX_VALUE, 30_000));
        assertEquals(bars.subList(28_800 - 1_000, 28_800), store.bars(s, Interval.M1, 0, Long.MAX_VALUE, 1_000));
        long from = bars.get(5_000).time();
        long to = bars.get(6_000).time();
        assertEquals(bars.subList(5_500, 6_000), store.bars(s, Interval.M1, from, to, 500));
        assertTrue(store.hasBars(s, Interval.M1));
    }

    @Test
    void readersSeeEitherTheOldOrTheNewRangeWhileItIsReplaced() throws Exception {
        String s = uniqueSymbol();
        List<Bar> versionA = new ArrayList<>();
        List<Bar> versionB = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            versionA.add(bar(s, Interval.M1, T0 + i * MIN, 1000 + i));
            if (i % 3 == 0) {
                versionB.add(bar(s, Interval.M1, T0 + i * MIN, 5000 + i)); // fewer bars, other values
            }
        }
        long end = T0 + 200 * MIN;
        store.writeBars(Interval.M1, versionA);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reads.add(readers.submit(() -> {
                    int n = 0;
                    while (!done.get() || n == 0) {
                        List<Bar> seen = store.bars(s, Interval.M1, T0, end, 1_000);
                        if (!seen.equals(versionA) && !seen.equals(versionB)) {
                            throw new AssertionError("a mix of old and new bars: " + seen.size() + " bars");
                        }
                        n++;
                    }
                    return n;
                }));
            }
            for (int round = 0; round < 40; round++) {
                store.replaceBars(s, Interval.M1, T0, end, round % 2 == 0 ? versionB : versionA);
            }
            done.set(true);
            for (Future<Integer> f : reads) {
                assertTrue(f.get(60, TimeUnit.SECONDS) > 0);
            }
        } finally {
            done.set(true);
            readers.shutdownNow();
        }
        assertEquals(versionA, store.bars(s, Interval.M1, T0, end, 1_000), "40 rounds end on version A");
    }

    @Test
    void replacingARangeWithNothingRemovesItsBars() {
        String s = uniqueSymbol();
        store.writeBars(Interval.D1, List.of(bar(s, Interval.D1, T0, 1000), bar(s, Interval.D1, T0 + 86_400_000L, 1001)));
        store.replaceBars(s, Interval.D1, 0, Long.MAX_VALUE, List.of());
        assertEquals(List.of(), store.bars(s, Interval.D1, 0, Long.MAX_VALUE, 10));
        assertFalse(store.hasBars(s, Interval.D1));
        Bar back = bar(s, Interval.D1, T0, 1200);
        store.writeBars(Interval.D1, List.of(back));
        assertEquals(List.of(back), store.bars(s, Interval.D1, 0, Long.MAX_VALUE, 10), "a bar written over a tombstone is live");
    }

    @Test
    void barAndTradeReadsUseTheSymbolIndexBackwards() {
        QuestDbTimeSeriesStore q = (QuestDbTimeSeriesStore) store;
        for (ReadSession.Query query : List.of(ReadSession.Query.BARS_M1, ReadSession.Query.BARS_D1, ReadSession.Query.TRADES)) {
            String plan = q.plan(query);
            assertTrue(plan.contains("Index backward scan on: symbol"), query + ":\n" + plan);
            assertFalse(plan.contains("Sort"), query + ":\n" + plan);
        }
    }

    /**
     * Paging back with the cursor: a page deep in a symbol's history reads no more rows than the deepest page
     * the scan from the newest trade still serves (it read every trade newer than its cursor, so walking N
     * pages back cost N²/2 pages of rows); a page near the top reads what it did before the cursor was sought
     * and runs no probe; the pages are exactly the trades, newest first, none skipped where the cursor splits
     * a millisecond.
     */
    @Test
    void aDeepTradePageReadsNoMoreRowsThanAShallowOne() {
        store.close(); // a bound of 5 pages of 200, so that the 150 pages cross it (the default is 50)
        QuestDbTimeSeriesStore q = new QuestDbTimeSeriesStore(storeDir(),
                new QuestDbStoreOptions(QuestDbStoreOptions.DEFAULT_SYNC_COMMITS, 1_000));
        store = q;
        String s = uniqueSymbol();
        String other = uniqueSymbol();
        List<Trade> mine = new ArrayList<>();
        List<Trade> all = new ArrayList<>();
        long night = 16 * 3_600_000L;
        for (int seq = 1; seq <= 40_000; seq++) {
            // Five trades a millisecond (the shard's, of two symbols), then a quiet night, then more.
            long time = T0 + seq / 5 + (seq > 25_000 ? night : 0);
            Trade t = trade(seq % 4 == 0 ? other : s, seq, time, 1000 + seq % 50);
            all.add(t);
            if (t.symbol().equals(s)) {
                mine.add(t);
            }
        }
        store.writeTrades(all);
        java.util.Collections.reverse(mine);

        int limit = 200;
        List<Trade> seen = new ArrayList<>();
        List<Long> rowsPerPage = new ArrayList<>();
        List<Long> probesPerPage = new ArrayList<>();
        long cursor = Long.MAX_VALUE;
        while (true) {
            long rows = q.tradeRowsRead();
            long probes = q.tradeProbes();
            List<Trade> page = store.trades(s, 0, Long.MAX_VALUE, cursor, limit);
            rowsPerPage.add(q.tradeRowsRead() - rows);
            probesPerPage.add(q.tradeProbes() - probes);
            seen.addAll(page);
            if (page.size() < limit) {
                break;
            }
            cursor = page.get(page.size() - 1).seq();
        }
        assertEquals(mine, seen, "every trade once, newest first");
        assertEquals(mine.size() / limit + 1, rowsPerPage.size());
        String work = "rows read per page: " + rowsPerPage + ", probes per page: " + probesPerPage;
        // Page k's cursor has k * limit of the symbol's trades at or above it: the scan skips that many.
        long bound = q.skipBound(limit);
        int shallowPages = (int) (bound / limit) + 1;
        for (int k = 0; k < rowsPerPage.size(); k++) {
            if (k < shallowPages) {
                assertEquals(0, probesPerPage.get(k), "page " + k + " scans from the newest trade; " + work);
                assertTrue(rowsPerPage.get(k) <= (k + 1) * limit + 5, "page " + k + ": " + work);
            } else {
                assertTrue(probesPerPage.get(k) > 0, "page " + k + " seeks its cursor; " + work);
                assertTrue(probesPerPage.get(k) <= 45, "page " + k + ": " + work);
            }
        }
        long shallowest = rowsPerPage.get(1); // the first page below a cursor: its rows and the page above
        long deepestScan = rowsPerPage.get(shallowPages - 1);
        long worst = rowsPerPage.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(shallowest <= 2 * limit + 5, work);
        // A deep page reads the bound's skipped rows, the probes (about log2 of the history's span in ms, each
        // one millisecond's rows), its rows and the ties of the cursor's millisecond, whatever its depth.
        assertTrue(worst <= limit + bound + 150, work);
        assertTrue(rowsPerPage.get(rowsPerPage.size() - 2) <= deepestScan + 150, work);
    }

    @Test
    void callsAfterCloseFailAsUnavailable() {
        store.close();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> store.bars("600000.SH", Interval.M1, 0, 1, 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(StoreUnavailableException.class, () -> store.writeTrades(List.of()));
        store = null;
    }

    @Test
    void onlyMinuteAndDayBarsAreAccepted() {
        assertThrows(IllegalArgumentException.class,
                () -> store.writeBars(Interval.M5, List.of(bar("600000.SH", Interval.M5, T0, 1000))));
        assertThrows(IllegalArgumentException.class,
                () -> store.writeBars(Interval.M1, List.of(bar("600000.SH", Interval.D1, T0, 1000))));
        assertThrows(IllegalArgumentException.class,
                () -> store.replaceBars("600000.SH", Interval.M1, T0, T0 + MIN, List.of(bar("600000.SH", Interval.M1, T0 + MIN, 1000))));
    }

    private static Set<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /**
     * Local addresses of listening TCP sockets (state 0A in /proc/net/tcp*) whose inode is one of
     * this process's descriptors: other programs on the machine do not disturb the comparison.
     */
    private static Set<String> listeningSocketsOfThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing
                }
            }
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(f[1]);
                }
            }
        }
        return listening;
    }

    /** The child JVM of {@link #historyWrittenBeforeAKillIsThereAfterRestart}. */
    static final class CrashingWriter {
        static final int EXIT_CODE = 37;
        static final String SYMBOL = "600000.SH";
        static final String UNAPPLIED_SYMBOL = "600001.SH";

        static List<Bar> bars() {
            List<Bar> out = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                out.add(bar(SYMBOL, Interval.M1, T0 + i * MIN, 1000 + i));
            }
            return out;
        }

        static List<Trade> trades() {
            List<Trade> out = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                out.add(trade(SYMBOL, i, T0 + i * 500L, 1000 + i));
            }
            return out;
        }

        static Bar unappliedBar() {
            return bar(UNAPPLIED_SYMBOL, Interval.D1, T0, 4321);
        }

        public static void main(String[] args) {
            try {
                QuestDbTimeSeriesStore store = new QuestDbTimeSeriesStore(Path.of(args[0]));
                store.writeBars(Interval.M1, bars());
                store.writeTrades(trades());
                store.checkpoint(3, 77);
                Bar b = unappliedBar();
                try (io.questdb.cairo.wal.WalWriter w = store.engine()
                        .getWalWriter(store.engine().verifyTableName(QuestDbTimeSeriesStore.BARS_1D))) {
                    io.questdb.cairo.TableWriter.Row row = w.newRow(b.time() * 1_000);
                    row.putSym(1, b.symbol());
                    row.putLong(2, b.open());
                    row.putLong(3, b.high());
                    row.putLong(4, b.low());
                    row.putLong(5, b.close());
                    row.putLong(6, b.volume());
                    row.putLong(7, b.turnover());
                    row.putLong(8, b.trades());
                    row.putLong(9, b.buyVolume());
                    row.putBool(10, false);
                    row.append();
                    w.commit();
                }
                Runtime.getRuntime().halt(EXIT_CODE);
            } catch (Throwable t) {
                t.printStackTrace();
                Runtime.getRuntime().halt(1);
            }
        }
    }
}
