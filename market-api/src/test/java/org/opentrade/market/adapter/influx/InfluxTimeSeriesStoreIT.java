package org.opentrade.market.adapter.influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;
import org.opentrade.market.port.TimeSeriesStoreContract;

/**
 * The store contract against a real {@code influxd} 1.x ({@link InfluxServer}, one per JVM, one
 * shared database: every test uses its own symbols), plus what only a networked store has: outages,
 * timeouts, InfluxQL injection, database creation.
 */
class InfluxTimeSeriesStoreIT extends TimeSeriesStoreContract {
    private static final String DATABASE = "market_it";
    /** A hang guard, not a speed check: far above the 500 ms timeouts below even on loaded cores. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofMillis(500);

    @Override
    protected TimeSeriesStore newStore() throws Exception {
        return new InfluxTimeSeriesStore(InfluxOptions.of(InfluxServer.shared().url(), DATABASE));
    }

    @Override
    protected TimeSeriesStore reopen(TimeSeriesStore store) throws Exception {
        store.close();
        return newStore();
    }

    @Test
    void serverThatRefusesConnectionsGivesStoreUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        InfluxOptions options = InfluxOptions.of("http://127.0.0.1:" + closedPort, DATABASE).withTimeouts(SHORT, SHORT);
        try (InfluxTimeSeriesStore down = new InfluxTimeSeriesStore(options)) {
            assertUnavailable(() -> down.bars("600000.SH", Interval.M1, 0, Long.MAX_VALUE, 10));
            assertUnavailable(() -> down.writeBars(Interval.M1, List.of(bar("600000.SH", Interval.M1, T0, 1000))));
            assertUnavailable(() -> down.checkpoints());
        }
    }

    @Test
    void serverThatAcceptsButNeverAnswersGivesStoreUnavailableAfterTheRequestTimeout() throws Exception {
        // The kernel completes the TCP handshake from the backlog; nothing ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InfluxOptions options = InfluxOptions.of("http://127.0.0.1:" + silent.getLocalPort(), DATABASE)
                    .withTimeouts(SHORT, SHORT);
            try (InfluxTimeSeriesStore hung = new InfluxTimeSeriesStore(options)) {
                StoreUnavailableException e = assertUnavailable(() -> hung.hasBars("600000.SH", Interval.D1));
                assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());
            }
        }
    }

    @Test
    void symbolsThatAreNotSymbolsNeverReachTheServer() {
        String good = uniqueSymbol();
        store.writeBars(Interval.M1, List.of(bar(good, Interval.M1, T0, 1000)));
        for (String evil : List.of("X' OR '1'='1", "A\"B", "A\\B", "A;DROP DATABASE market_it", "A B", "A,B=C", "",
                "123456789012345678", "/.*/")) {
            assertThrows(IllegalArgumentException.class, () -> store.bars(evil, Interval.M1, 0, Long.MAX_VALUE, 10), evil);
            assertThrows(IllegalArgumentException.class, () -> store.trades(evil, 0, Long.MAX_VALUE, Long.MAX_VALUE, 10), evil);
            assertThrows(IllegalArgumentException.class, () -> store.hasBars(evil, Interval.M1), evil);
            assertThrows(IllegalArgumentException.class, () -> store.replaceBars(evil, Interval.M1, T0, T0 + 1, List.of()), evil);
            assertThrows(IllegalArgumentException.class,
                    () -> store.writeBars(Interval.M1, List.of(bar(evil, Interval.M1, T0, 1000))), evil);
        }
        assertEquals(List.of(bar(good, Interval.M1, T0, 1000)), store.bars(good, Interval.M1, T0, T0 + 1, 10),
                "nothing was deleted or changed");
    }

    @Test
    void theLongestSymbolMarketApiServesIsStoredAndReadBack() {
        String longest = "123456789012.ABCD"; // 12 digits, a dot, a 4-letter market: 17 characters
        assertTrue(org.opentrade.market.domain.Instrument.SYMBOL.matcher(longest).matches());
        store.writeBars(Interval.M1, List.of(bar(longest, Interval.M1, T0, 1000)));
        assertEquals(List.of(bar(longest, Interval.M1, T0, 1000)), store.bars(longest, Interval.M1, T0, T0 + 1, 10));
    }

    @Test
    void escapedLiteralKeepsAnInjectionAttemptInsideTheString() throws Exception {
        String s = uniqueSymbol();
        store.writeBars(Interval.M1, List.of(bar(s, Interval.M1, T0, 1000)));
        String select = "SELECT \"close\" FROM \"bars_1m\" WHERE \"symbol\" = ";
        assertTrue(rawQuery(select + InfluxQl.string(s)).contains("\"values\""), "control: the plain literal matches");
        String attack = s + "' OR \"symbol\" =~ /.*/ OR \"symbol\" = '\\";
        String answer = rawQuery(select + InfluxQl.string(attack));
        assertFalse(answer.contains("\"values\""), "escaped attack must match no row: " + answer);
        assertFalse(answer.contains("\"error\""), "and must still parse: " + answer);
    }

    @Test
    void firstUseCreatesTheDatabase() throws Exception {
        String db = "market_it_new_" + System.nanoTime();
        try (InfluxTimeSeriesStore fresh = new InfluxTimeSeriesStore(InfluxOptions.of(InfluxServer.shared().url(), db))) {
            assertFalse(fresh.hasBars("600000.SH", Interval.M1));
            fresh.checkpoint(3, 99);
            assertEquals(java.util.Map.of(3, 99L), fresh.checkpoints());
        }
        assertTrue(rawQuery("SHOW DATABASES").contains("\"" + db + "\""));
    }

    @Test
    void missingDatabaseWithCreationOffIsReportedAsUnavailable() throws Exception {
        InfluxOptions options = InfluxOptions.of(InfluxServer.shared().url(), "market_it_absent_" + System.nanoTime())
                .withCreateDatabase(false);
        try (InfluxTimeSeriesStore store2x = new InfluxTimeSeriesStore(options)) {
            StoreUnavailableException e = assertUnavailable(() -> store2x.hasBars("600000.SH", Interval.M1));
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }

    @Test
    void replaceBarsWithNoBarsEmptiesOnlyTheRange() {
        String s = uniqueSymbol();
        List<Bar> old = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            old.add(bar(s, Interval.D1, T0 + i * 86_400_000L, 2000 + i));
        }
        store.writeBars(Interval.D1, old);
        store.replaceBars(s, Interval.D1, T0 + 86_400_000L, T0 + 4 * 86_400_000L, List.of());
        assertEquals(List.of(old.get(0), old.get(4), old.get(5)), store.bars(s, Interval.D1, 0, Long.MAX_VALUE, 100));
    }

    @Test
    void replaceBarsDeletesInterleavedOldBarsAndKeepsNewOnes() {
        String s = uniqueSymbol();
        long min = 60_000L;
        List<Bar> old = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            old.add(bar(s, Interval.M1, T0 + i * min, 1000 + i));
        }
        store.writeBars(Interval.M1, old);
        // New bars at odd minutes 1..7 and one at 7.5 (a time the old set lacks): every old even minute
        // in [0, 9) must go, in runs broken by new bars.
        List<Bar> fresh = new ArrayList<>();
        for (int i = 1; i <= 7; i += 2) {
            fresh.add(bar(s, Interval.M1, T0 + i * min, 5000 + i));
        }
        fresh.add(bar(s, Interval.M1, T0 + 7 * min + 30_000, 5100));
        store.replaceBars(s, Interval.M1, T0, T0 + 9 * min, fresh);
        List<Bar> expected = new ArrayList<>(fresh);
        expected.add(old.get(9));
        assertEquals(expected, store.bars(s, Interval.M1, 0, Long.MAX_VALUE, 100));
    }

    @Test
    void smallBatchesAndPagesGiveTheSameAnswers() throws Exception {
        InfluxOptions options = InfluxOptions.of(InfluxServer.shared().url(), DATABASE).withBatching(3, 4);
        try (InfluxTimeSeriesStore paged = new InfluxTimeSeriesStore(options)) {
            String s = uniqueSymbol();
            long min = 60_000L;
            List<Bar> old = new ArrayList<>();
            List<Trade> trades = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                old.add(bar(s, Interval.M1, T0 + i * min, 1000 + i));
                trades.add(trade(s, 100 + i, T0 + i, 1000 + i));
            }
            paged.writeBars(Interval.M1, old);
            paged.writeTrades(trades);
            assertEquals(old.subList(1, 11), paged.bars(s, Interval.M1, 0, Long.MAX_VALUE, 10));
            List<Trade> newestNine = new ArrayList<>(trades.subList(2, 11));
            java.util.Collections.reverse(newestNine);
            assertEquals(newestNine, paged.trades(s, 0, Long.MAX_VALUE, Long.MAX_VALUE, 9));
            List<Bar> fresh = List.of(bar(s, Interval.M1, T0 + 5 * min, 7000));
            paged.replaceBars(s, Interval.M1, T0 + min, T0 + 10 * min, fresh);
            assertEquals(List.of(old.get(0), fresh.get(0), old.get(10)), paged.bars(s, Interval.M1, 0, Long.MAX_VALUE, 100));
        }
    }

    @Test
    void tradeFieldsRoundTripIncludingShardAndSide() {
        String s = uniqueSymbol();
        Trade a = new Trade(3, 1_000_005L, s, T0, 123_456, 700, org.opentrade.exchange.model.Side.SELL);
        Trade b = new Trade(3, 1_000_006L, s, T0, 123_457, 800, org.opentrade.exchange.model.Side.BUY);
        store.writeTrades(List.of(a, b));
        assertEquals(List.of(b, a), store.trades(s, T0, T0 + 1, Long.MAX_VALUE, 10));
    }

    @Test
    void aDeepTradePageCostsInfluxdNoMorePointsThanAShallowOne() throws Exception {
        int bound = 1_000; // 5 pages of 200, so that the 95 pages cross it (the default is 5 000)
        InfluxOptions options = InfluxOptions.of(InfluxServer.shared().url(), DATABASE).withTradeSkipBound(bound);
        try (InfluxTimeSeriesStore influx = new InfluxTimeSeriesStore(options)) {
            String s = uniqueSymbol();
            String other = uniqueSymbol();
            List<Trade> mine = new ArrayList<>();
            List<Trade> all = new ArrayList<>();
            long night = 16 * 3_600_000L;
            long first = 990_001; // seq passes 1 000 000 inside a millisecond: time order is not seq order there
            for (long seq = first; seq < first + 25_000; seq++) {
                // Five trades a millisecond (the shard's, of two symbols), then a quiet night, then more.
                long time = T0 + (seq - first) / 5 + (seq - first > 15_000 ? night : 0);
                Trade t = trade(seq % 4 == 0 ? other : s, seq, time, 1000 + seq % 50);
                all.add(t);
                if (t.symbol().equals(s)) {
                    mine.add(t);
                }
            }
            influx.writeTrades(all);
            long[] points = mine.stream().mapToLong(t -> t.time() * InfluxQl.NS_PER_MS + t.seq() % 1_000_000).sorted().toArray();
            java.util.Collections.reverse(mine);
            long[] walked = new long[1];
            influx.queryLog((statements, answer) -> walked[0] += pointsWalked(statements, answer, points));

            int limit = 200;
            List<Trade> seen = new ArrayList<>();
            List<Long> walkPerPage = new ArrayList<>();
            List<Long> requestsPerPage = new ArrayList<>();
            long cursor = Long.MAX_VALUE;
            while (true) {
                long before = walked[0];
                long requests = influx.queryRequests();
                List<Trade> page = influx.trades(s, 0, Long.MAX_VALUE, cursor, limit);
                walkPerPage.add(walked[0] - before);
                requestsPerPage.add(influx.queryRequests() - requests);
                seen.addAll(page);
                if (page.size() < limit) {
                    break;
                }
                cursor = page.get(page.size() - 1).seq();
            }
            assertEquals(mine, seen, "every trade once, newest first");
            String work = "points influxd read per page: " + walkPerPage + ", requests per page: " + requestsPerPage;
            // Page k's cursor has k * limit of the symbol's trades at or above it. A page reads where the bound lies
            // (bound + 1 points, one request), then either the points down to its trades, as before, or the probes
            // (one point each, 16 a request) and its trades with the ties of two milliseconds (10 points here).
            for (int k = 1; k < walkPerPage.size(); k++) {
                assertTrue(walkPerPage.get(k) <= 2 * (bound + 2) + limit + 10 + 16 * 8, "page " + k + ": " + work);
                assertTrue(requestsPerPage.get(k) <= 12, "page " + k + ": " + work);
            }
            long deepest = walkPerPage.get(walkPerPage.size() - 2);
            assertTrue(deepest <= walkPerPage.get(1) + bound + 16 * 8, "the deepest full page reads about what the"
                    + " first below a cursor does: " + work);
        }
    }

    private static final java.util.regex.Pattern BOUNDED_READ = java.util.regex.Pattern.compile(
            "time >= (-?\\d+) AND time < (-?\\d+) ORDER BY time (ASC|DESC) LIMIT (\\d+)(?: OFFSET (\\d+))?$");

    /**
     * The points of {@code points} (one symbol's point times, ascending) influxd read to answer {@code statements}:
     * a statement reads its time range in its order until it has {@code LIMIT} rows past {@code OFFSET}, whether or
     * not a field condition ({@code "seq" < cursor}) drops points on the way; with fewer rows it read the whole range.
     */
    private static long pointsWalked(String statements, List<List<InfluxHttp.Series>> answer, long[] points) {
        String[] parts = statements.split("; ");
        long walked = 0;
        for (int i = 0; i < parts.length; i++) {
            java.util.regex.Matcher m = BOUNDED_READ.matcher(parts[i]);
            assertTrue(m.find(), "a trades read of a form the test knows: " + parts[i]);
            long from = Long.parseLong(m.group(1));
            long to = Long.parseLong(m.group(2));
            boolean descending = m.group(3).equals("DESC");
            List<List<Object>> rows = answer.size() <= i || answer.get(i).isEmpty() ? List.of() : answer.get(i).get(0).rows();
            if (rows.size() < Long.parseLong(m.group(4))) {
                walked += countIn(points, from, to);
            } else {
                int time = answer.get(i).get(0).column("time");
                long last = ((Number) rows.get(rows.size() - 1).get(time)).longValue();
                walked += descending ? countIn(points, last, to) : countIn(points, from, last + 1);
            }
        }
        return walked;
    }

    private static long countIn(long[] sorted, long from, long to) {
        return Math.max(0, insertionPoint(sorted, to) - insertionPoint(sorted, from));
    }

    private static int insertionPoint(long[] sorted, long key) {
        int i = java.util.Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : -i - 1;
    }

    private static StoreUnavailableException assertUnavailable(Executable call) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> assertThrows(StoreUnavailableException.class, call));
    }

    private static String rawQuery(String q) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(InfluxServer.shared().url() + "/query?db=" + DATABASE))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
