package org.opentrade.market.adapter.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.ForwardingTimeSeriesStore;

class HistoryWriterTest {
    private static final String S = "600000.SH";
    private static final long T0 = 1_767_576_600_000L;

    private static Trade trade(long seq) {
        return new Trade(0, seq, S, T0 + seq, 1000, 100, Side.BUY);
    }

    private static void until(BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(5); // polling a condition
        }
    }

    @Test
    void tradesBarsAndTheCheckpointAreWrittenInThatOrderAndReported() throws Exception {
        InMemoryTimeSeriesStore store = new InMemoryTimeSeriesStore();
        Map<Integer, Long> stored = new ConcurrentHashMap<>();
        try (HistoryWriter w = new HistoryWriter(store, 1000, 100, 10, stored::put)) {
            for (long seq = 1; seq <= 50; seq++) {
                w.trade(trade(seq));
                w.position(0, seq);
            }
            w.closedBar(new Bar(S, Interval.M1, T0, 1000, 1000, 1000, 1000, 5000, 5_000_000, 50, 5000));
            w.position(0, 51);
            until(() -> stored.getOrDefault(0, 0L) == 51);
            assertEquals(50, store.trades(S, 0, Long.MAX_VALUE, Long.MAX_VALUE, 100).size());
            assertEquals(1, store.bars(S, Interval.M1, 0, Long.MAX_VALUE, 10).size());
            assertEquals(Map.of(0, 51L), store.checkpoints());
        }
    }

    @Test
    void aStoreOutageBuffersWithoutBlockingAndLosesNothingOnceBack() throws Exception {
        InMemoryTimeSeriesStore store = new InMemoryTimeSeriesStore();
        store.setAvailable(false);
        Map<Integer, Long> stored = new ConcurrentHashMap<>();
        try (HistoryWriter w = new HistoryWriter(store, 10_000, 100, 10, stored::put)) {
            long t0 = System.nanoTime();
            for (long seq = 1; seq <= 2_000; seq++) {
                w.trade(trade(seq));
                w.position(0, seq);
            }
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 5, "handing over never waits for the store");
            until(() -> w.failures() > 0);
            assertTrue(stored.isEmpty(), "nothing is reported stored while the store is down");
            assertTrue(!w.healthy());
            store.setAvailable(true);
            until(() -> stored.getOrDefault(0, 0L) == 2_000);
            assertEquals(2_000, store.trades(S, 0, Long.MAX_VALUE, Long.MAX_VALUE, 5_000).size());
            assertEquals(0, w.dropped());
            assertTrue(w.healthy());
        }
    }

    @Test
    void aFullBufferDropsAndFreezesTheCheckpointBeforeTheFirstDrop() throws Exception {
        InMemoryTimeSeriesStore store = new InMemoryTimeSeriesStore();
        store.setAvailable(false);
        Map<Integer, Long> stored = new ConcurrentHashMap<>();
        try (HistoryWriter w = new HistoryWriter(store, 1_000, 100, 10, stored::put)) {
            for (long seq = 1; seq <= 3_000; seq++) {
                w.trade(trade(seq));
                w.position(0, seq);
            }
            assertTrue(w.dropped() > 0, "items beyond the buffer are dropped, not waited for");
            store.setAvailable(true);
            until(() -> w.buffered() == 0 && stored.containsKey(0));
            w.position(0, 3_001);
            until(() -> w.buffered() == 0);
            long checkpoint = store.checkpoints().get(0);
            List<Trade> kept = store.trades(S, 0, Long.MAX_VALUE, Long.MAX_VALUE, 5_000);
            assertTrue(checkpoint < 3_000, "the checkpoint stays before the first dropped item: " + checkpoint);
            for (long seq = 1; seq <= checkpoint; seq++) {
                long s = seq;
                assertTrue(kept.stream().anyMatch(t -> t.seq() == s), "everything up to the checkpoint is stored: " + seq);
            }
        }
    }

    @Test
    void itemsArrivingWithinTheFlushIntervalShareOneWriteUpToTheBatchSize() throws Exception {
        InMemoryTimeSeriesStore memory = new InMemoryTimeSeriesStore();
        java.util.concurrent.atomic.AtomicInteger tradeWrites = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger checkpoints = new java.util.concurrent.atomic.AtomicInteger();
        org.opentrade.market.port.TimeSeriesStore counting = (org.opentrade.market.port.TimeSeriesStore)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.opentrade.market.port.TimeSeriesStore.class}, (proxy, method, args) -> {
                            if (method.getName().equals("writeTrades")) {
                                tradeWrites.incrementAndGet();
                            } else if (method.getName().equals("checkpoint")) {
                                checkpoints.incrementAndGet();
                            }
                            try {
                                return method.invoke(memory, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        Map<Integer, Long> stored = new ConcurrentHashMap<>();
        // a flush interval far longer than the test: only a full batch or close() writes
        HistoryWriter w = new HistoryWriter(counting, 10_000, 100, 60_000, stored::put);
        try {
            for (long seq = 1; seq <= 230; seq++) { // 460 items: four full batches and 60 left over
                w.trade(trade(seq));
                w.position(0, seq);
            }
            until(() -> w.written() >= 200);
            assertEquals(200, w.written(), "the 60 items after the fourth full batch wait for more");
            assertEquals(4, tradeWrites.get(), "one write per 100 items");
        } finally {
            w.close();
        }
        assertEquals(230, w.written(), "close() writes what was gathered");
        assertEquals(230, memory.trades(S, 0, Long.MAX_VALUE, Long.MAX_VALUE, 1000).size());
        assertEquals(5, tradeWrites.get());
        assertEquals(5, checkpoints.get(), "one checkpoint per write");
        assertEquals(230L, stored.get(0));
    }

    /** Throws {@code failure} from the first {@code times} trade writes, then writes as the memory store does. */
    private static final class FailingFirst extends ForwardingTimeSeriesStore {
        private final AtomicInteger left;
        private final java.util.function.Supplier<? extends Throwable> failure;

        FailingFirst(int times, java.util.function.Supplier<? extends Throwable> failure) {
            super(new InMemoryTimeSeriesStore());
            this.left = new AtomicInteger(times);
            this.failure = failure;
        }

        @Override
        public void writeTrades(List<Trade> trades) {
            if (left.getAndDecrement() > 0) {
                Throwable t = failure.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
            super.writeTrades(trades);
        }
    }

    @Test
    void aStoreFailureOtherThanUnavailabilityIsRetriedAndLaterBatchesAreWritten() throws Exception {
        for (java.util.function.Supplier<RuntimeException> failure : List.<java.util.function.Supplier<RuntimeException>>of(
                () -> new IllegalArgumentException("symbol must match [0-9A-Za-z.]{1,16}"),
                () -> new ClassCastException("odd answer"), NullPointerException::new)) {
            FailingFirst store = new FailingFirst(1, failure);
            Map<Integer, Long> stored = new ConcurrentHashMap<>();
            try (HistoryWriter w = new HistoryWriter(store, 1000, 100, 10, stored::put)) {
                for (long seq = 1; seq <= 10; seq++) {
                    w.trade(trade(seq));
                    w.position(0, seq);
                }
                until(() -> stored.getOrDefault(0, 0L) == 10);
                for (long seq = 11; seq <= 20; seq++) {
                    w.trade(trade(seq));
                    w.position(0, seq);
                }
                until(() -> stored.getOrDefault(0, 0L) == 20);
                assertEquals(20, store.trades(S, 0, Long.MAX_VALUE, Long.MAX_VALUE, 100).size());
                assertEquals(1, w.failures());
                assertTrue(w.healthy());
            }
        }
    }

    @Test
    void anErrorStopsTheWriterWithASevereLogLine() throws Exception {
        Logger log = Logger.getLogger(HistoryWriter.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try (HistoryWriter w = new HistoryWriter(new FailingFirst(1, () -> new OutOfMemoryError("simulated")), 1000, 100,
                10, (shard, seq) -> { })) {
            w.trade(trade(1));
            until(() -> records.stream().anyMatch(r -> r.getLevel() == Level.SEVERE));
            assertTrue(!w.healthy());
        } finally {
            log.removeHandler(capture);
        }
    }

    /** Refuses for good every write holding a trade or bar of {@code BAD.SH}, as InfluxDB's adapter refuses a symbol. */
    private static final class RefusingOneSymbol extends ForwardingTimeSeriesStore {
        static final String BAD = "BAD.SH";

        RefusingOneSymbol() {
            super(new InMemoryTimeSeriesStore());
        }

        @Override
        public void writeTrades(List<Trade> trades) {
            if (trades.stream().anyMatch(t -> t.symbol().equals(BAD))) {
                throw new IllegalArgumentException("symbol must match ..., got '" + BAD + "'");
            }
            super.writeTrades(trades);
        }

        @Override
        public void writeBars(Interval interval, List<Bar> bars) {
            if (bars.stream().anyMatch(b -> b.symbol().equals(BAD))) {
                throw new IllegalArgumentException("symbol must match ..., got '" + BAD + "'");
            }
            super.writeBars(interval, bars);
        }
    }

    @Test
    void aTradeTheStoreRefusesForGoodIsDroppedAloneAndTheCheckpointStaysBeforeIt() throws Exception {
        RefusingOneSymbol store = new RefusingOneSymbol();
        Map<Integer, Long> stored = new ConcurrentHashMap<>();
        try (HistoryWriter w = new HistoryWriter(store, 1000, 100, 10, stored::put)) {
            for (long seq = 1; seq <= 40; seq++) {
                w.trade(seq == 21 ? new Trade(0, seq, RefusingOneSymbol.BAD, T0 + seq, 1000, 100, Side.BUY) : trade(seq));
                w.position(0, seq);
            }
            until(() -> w.written() == 39);
            assertEquals(1, w.rejected());
            for (long seq = 41; seq <= 60; seq++) {
                w.trade(trade(seq));
                w.position(0, seq);
            }
            until(() -> w.written() == 59 && w.buffered() == 0);
            assertEquals(59, store.trades(S, 0, Long.MAX_VALUE, Long.MAX_VALUE, 100).size(), "every other trade is stored");
            assertEquals(Map.of(0, 20L), store.checkpoints(), "the refused trade is never vouched for");
            assertEquals(20L, stored.get(0));
            assertTrue(w.healthy());
        }
    }

    @Test
    void aBarTheStoreRefusesForGoodFreezesEveryShardWhereItWas() throws Exception {
        RefusingOneSymbol store = new RefusingOneSymbol();
        Map<Integer, Long> stored = new ConcurrentHashMap<>();
        try (HistoryWriter w = new HistoryWriter(store, 1000, 100, 10, stored::put)) {
            w.trade(trade(1));
            w.position(0, 1);
            until(() -> stored.containsKey(0));
            w.trade(trade(2));
            w.position(0, 2);
            w.closedBar(new Bar(RefusingOneSymbol.BAD, Interval.M1, T0, 1000, 1000, 1000, 1000, 100, 100_000, 1, 100));
            w.closedBar(new Bar(S, Interval.M1, T0, 1000, 1000, 1000, 1000, 100, 100_000, 2, 100));
            w.trade(new Trade(1, 7, S, T0 + 7, 1000, 100, Side.BUY));
            w.position(0, 3);
            w.position(1, 7);
            until(() -> w.rejected() == 1 && w.written() == 4 && w.buffered() == 0);
            assertEquals(1, store.bars(S, Interval.M1, 0, Long.MAX_VALUE, 10).size());
            assertEquals(Map.of(0, 2L), store.checkpoints(), "no shard's checkpoint passes the refused bar");
        }
    }
}
