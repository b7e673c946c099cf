package org.opentrade.market.adapter.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * The store in the heap, for tests (nothing survives the process). Synchronized: it is the
 * reference the contract suite holds real stores to, not a fast path. {@link #setAvailable(boolean)}
 * simulates an outage.
 */
public final class InMemoryTimeSeriesStore implements TimeSeriesStore {
    private final Map<String, NavigableMap<Long, Bar>> bars = new HashMap<>();
    private final Map<String, NavigableMap<Long, Trade>> trades = new HashMap<>();
    private final Map<Integer, Long> checkpoints = new HashMap<>();
    private volatile boolean available = true;

    /** While false, every call throws {@link StoreUnavailableException}. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    private void check() {
        if (!available) {
            throw new StoreUnavailableException("in-memory store switched off");
        }
    }

    private static String key(String symbol, Interval interval) {
        return symbol + "|" + interval.code();
    }

    @Override
    public synchronized void writeTrades(List<Trade> list) {
        check();
        for (Trade t : list) {
            trades.computeIfAbsent(t.symbol(), s -> new TreeMap<>()).put(t.seq(), t);
        }
    }

    @Override
    public synchronized void writeBars(Interval interval, List<Bar> list) {
        check();
        for (Bar b : list) {
            bars.computeIfAbsent(key(b.symbol(), interval), s -> new TreeMap<>()).put(b.time(), b);
        }
    }

    @Override
    public synchronized void replaceBars(String symbol, Interval interval, long start, long end, List<Bar> list) {
        check();
        NavigableMap<Long, Bar> m = bars.computeIfAbsent(key(symbol, interval), s -> new TreeMap<>());
        m.subMap(start, true, end, false).clear();
        for (Bar b : list) {
            m.put(b.time(), b);
        }
    }

    @Override
    public synchronized List<Bar> bars(String symbol, Interval interval, long start, long end, int limit) {
        check();
        NavigableMap<Long, Bar> m = bars.get(key(symbol, interval));
        if (m == null || start >= end || limit <= 0) {
            return List.of();
        }
        List<Bar> out = new ArrayList<>();
        for (Bar b : m.subMap(start, true, end, false).descendingMap().values()) {
            if (out.size() == limit) {
                break;
            }
            out.add(b);
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public synchronized List<Trade> trades(String symbol, long start, long end, long beforeSeq, int limit) {
        check();
        NavigableMap<Long, Trade> m = trades.get(symbol);
        if (m == null || limit <= 0) {
            return List.of();
        }
        List<Trade> out = new ArrayList<>();
        for (Trade t : m.headMap(beforeSeq, false).descendingMap().values()) {
            if (out.size() == limit) {
                break;
            }
            if (t.time() >= start && t.time() < end) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean hasBars(String symbol, Interval interval) {
        check();
        NavigableMap<Long, Bar> m = bars.get(key(symbol, interval));
        return m != null && !m.isEmpty();
    }

    @Override
    public synchronized void checkpoint(int shard, long seq) {
        check();
        checkpoints.put(shard, seq);
    }

    @Override
    public synchronized Map<Integer, Long> checkpoints() {
        check();
        return Map.copyOf(checkpoints);
    }

    @Override
    public void close() {
    }
}
