package org.opentrade.market.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;

/**
 * The one behaviour every {@link TimeSeriesStore} adapter has (Zipkin's pattern): the in-memory
 * store and each real store extend this suite. Each test uses its own symbols, so an adapter may
 * share one server (and one database) across the tests of a class; {@link #newStore()} is called
 * before every test and {@link #reopen(TimeSeriesStore)} must return a store over the same data.
 */
public abstract class TimeSeriesStoreContract {
    /** 2026-01-05T01:30:00Z = 09:30 Shanghai, a Monday. */
    protected static final long T0 = 1_767_576_600_000L;
    private static final long MIN = 60_000L;
    private static int symbolCounter;

    protected TimeSeriesStore store;

    /** A fresh store, or one over shared data (tests use unique symbols). */
    protected abstract TimeSeriesStore newStore() throws Exception;

    /** Closes {@code store} and opens it again over the same data (a restart). */
    protected abstract TimeSeriesStore reopen(TimeSeriesStore store) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** A symbol no other test of this run uses. */
    protected static synchronized String uniqueSymbol() {
        symbolCounter++;
        return String.format("%06d.SZ", 900_000 + symbolCounter + (int) (System.nanoTime() % 1000) * 100);
    }

    protected static Bar bar(String symbol, Interval interval, long time, long close) {
        return new Bar(symbol, interval, time, close - 3, close + 5, close - 7, close, 1_000 + close, close * 1_000, 7, 400);
    }

    protected static Trade trade(String symbol, long seq, long time, long price) {
        return new Trade(0, seq, symbol, time, price, 100 + seq, seq % 2 == 0 ? Side.BUY : Side.SELL);
    }

    @Test
    void writtenBarsReadBackOldestFirstWithEveryField() {
        String s = uniqueSymbol();
        List<Bar> written = List.of(bar(s, Interval.M1, T0, 1001), bar(s, Interval.M1, T0 + MIN, 1002),
                bar(s, Interval.M1, T0 + 2 * MIN, 1003));
        store.writeBars(Interval.M1, written);
        assertEquals(written, store.bars(s, Interval.M1, T0, T0 + 3 * MIN, 10));
    }

    @Test
    void barsAreReturnedNewestLimitWithinHalfOpenRange() {
        String s = uniqueSymbol();
        List<Bar> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(bar(s, Interval.M1, T0 + i * MIN, 1000 + i));
        }
        store.writeBars(Interval.M1, all);
        assertEquals(all.subList(15, 20), store.bars(s, Interval.M1, T0, T0 + 20 * MIN, 5));
        assertEquals(all.subList(5, 10), store.bars(s, Interval.M1, T0 + 5 * MIN, T0 + 10 * MIN, 100),
                "start inclusive, end exclusive");
        assertEquals(List.of(), store.bars(s, Interval.M1, T0 + 30 * MIN, T0 + 40 * MIN, 100));
    }

    @Test
    void rewritingABarReplacesItInsteadOfDuplicating() {
        String s = uniqueSymbol();
        store.writeBars(Interval.M1, List.of(bar(s, Interval.M1, T0, 1000)));
        Bar updated = bar(s, Interval.M1, T0, 1100);
        store.writeBars(Interval.M1, List.of(updated));
        assertEquals(List.of(updated), store.bars(s, Interval.M1, T0 - MIN, T0 + MIN, 10));
    }

    @Test
    void intervalsAndSymbolsAreKeptApart() {
        String a = uniqueSymbol();
        String b = uniqueSymbol();
        Bar minute = bar(a, Interval.M1, T0, 1000);
        Bar day = bar(a, Interval.D1, T0, 2000);
        Bar other = bar(b, Interval.M1, T0, 3000);
        store.writeBars(Interval.M1, List.of(minute, other));
        store.writeBars(Interval.D1, List.of(day));
        assertEquals(List.of(minute), store.bars(a, Interval.M1, T0, T0 + MIN, 10));
        assertEquals(List.of(day), store.bars(a, Interval.D1, T0, T0 + MIN, 10));
        assertEquals(List.of(other), store.bars(b, Interval.M1, T0, T0 + MIN, 10));
        assertTrue(store.hasBars(a, Interval.D1));
        assertFalse(store.hasBars(b, Interval.D1));
    }

    @Test
    void replaceBarsSwapsTheRangeAndKeepsBarsOutsideIt() {
        String s = uniqueSymbol();
        List<Bar> old = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            old.add(bar(s, Interval.M1, T0 + i * MIN, 1000 + i));
        }
        store.writeBars(Interval.M1, old);
        List<Bar> fresh = List.of(bar(s, Interval.M1, T0 + 3 * MIN + 0, 5000), bar(s, Interval.M1, T0 + 5 * MIN, 5001));
        store.replaceBars(s, Interval.M1, T0 + 3 * MIN, T0 + 7 * MIN, fresh);
        List<Bar> expected = new ArrayList<>(old.subList(0, 3));
        expected.addAll(fresh);
        expected.addAll(old.subList(7, 10));
        assertEquals(expected, store.bars(s, Interval.M1, T0, T0 + 10 * MIN, 100));
    }

    @Test
    void tradesReadNewestFirstWithCursorAndWindow() {
        String s = uniqueSymbol();
        List<Trade> all = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            all.add(trade(s, i * 3L, T0 + i * 1_000L, 1000 + i));
        }
        store.writeTrades(all);
        List<Trade> newest = store.trades(s, 0, Long.MAX_VALUE, Long.MAX_VALUE, 4);
        assertEquals(List.of(all.get(29), all.get(28), all.get(27), all.get(26)), newest);
        List<Trade> page2 = store.trades(s, 0, Long.MAX_VALUE, newest.get(3).seq(), 2);
        assertEquals(List.of(all.get(25), all.get(24)), page2);
        List<Trade> window = store.trades(s, T0 + 5_000, T0 + 8_000, Long.MAX_VALUE, 100);
        assertEquals(List.of(all.get(6), all.get(5), all.get(4)), window, "start inclusive, end exclusive");
    }

    @Test
    void tradesInTheSameMillisecondAreAllKept() {
        String s = uniqueSymbol();
        List<Trade> same = List.of(trade(s, 10, T0, 1000), trade(s, 11, T0, 1001), trade(s, 12, T0, 1002));
        store.writeTrades(same);
        assertEquals(List.of(same.get(2), same.get(1), same.get(0)), store.trades(s, T0, T0 + 1, Long.MAX_VALUE, 10));
    }

    /**
     * Seq passing a multiple of a million inside one millisecond (InfluxDB stamps a trade ms × 10⁶ + seq mod 10⁶,
     * so there time order is not seq order): pages of every size still run through every trade, newest first.
     */
    @Test
    void pagingTradesSkipsNoneWhereSeqPassesAMillionWithinOneMillisecond() {
        String s = uniqueSymbol();
        List<Trade> all = List.of(trade(s, 1_000_002, T0 + 1, 1005), trade(s, 1_000_001, T0, 1004),
                trade(s, 1_000_000, T0, 1003), trade(s, 999_999, T0, 1002), trade(s, 999_998, T0, 1001),
                trade(s, 999_997, T0 - 1, 1000));
        store.writeTrades(all);
        for (int limit = 1; limit <= all.size(); limit++) {
            List<Trade> seen = new ArrayList<>();
            long cursor = Long.MAX_VALUE;
            for (int page = 0; page <= all.size(); page++) {
                List<Trade> got = store.trades(s, 0, Long.MAX_VALUE, cursor, limit);
                seen.addAll(got);
                if (got.size() < limit) {
                    break;
                }
                cursor = got.get(got.size() - 1).seq();
            }
            assertEquals(all, seen, "pages of " + limit);
        }
    }

    @Test
    void rewritingTradesKeepsOneCopy() {
        String s = uniqueSymbol();
        List<Trade> batch = List.of(trade(s, 1, T0, 1000), trade(s, 2, T0 + 1, 1001));
        store.writeTrades(batch);
        store.writeTrades(batch);
        assertEquals(2, store.trades(s, 0, Long.MAX_VALUE, Long.MAX_VALUE, 10).size());
    }

    @Test
    void checkpointsAreKeptPerShardAndSurviveReopen() throws Exception {
        store.checkpoint(0, 41);
        store.checkpoint(1, 7);
        store.checkpoint(0, 42);
        Map<Integer, Long> expected = Map.of(0, 42L, 1, 7L);
        assertEquals(expected, subsetOf(store.checkpoints(), expected));
        store = reopen(store);
        assertEquals(expected, subsetOf(store.checkpoints(), expected));
    }

    @Test
    void historySurvivesReopen() throws Exception {
        String s = uniqueSymbol();
        Bar b = bar(s, Interval.M1, T0, 1234);
        Trade t = trade(s, 5, T0, 1234);
        store.writeBars(Interval.M1, List.of(b));
        store.writeTrades(List.of(t));
        store = reopen(store);
        assertEquals(List.of(b), store.bars(s, Interval.M1, T0, T0 + MIN, 10));
        assertEquals(List.of(t), store.trades(s, 0, Long.MAX_VALUE, Long.MAX_VALUE, 10));
    }

    @Test
    void largeBatchesReadBackInFull() {
        String s = uniqueSymbol();
        List<Bar> many = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            many.add(bar(s, Interval.M1, T0 + i * MIN, 1000 + i % 500));
        }
        store.writeBars(Interval.M1, many);
        List<Bar> read = store.bars(s, Interval.M1, 0, Long.MAX_VALUE, 10_000);
        assertEquals(10_000, read.size());
        assertEquals(many.subList(2_000, 12_000), read);
    }

    /** The entries of {@code actual} for the keys of {@code expected} (shared stores may hold more shards). */
    private static Map<Integer, Long> subsetOf(Map<Integer, Long> actual, Map<Integer, Long> expected) {
        Map<Integer, Long> out = new java.util.HashMap<>();
        for (Integer k : expected.keySet()) {
            if (actual.containsKey(k)) {
                out.put(k, actual.get(k));
            }
        }
        return out;
    }
}
