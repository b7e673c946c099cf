package org.opentrade.market.adapter.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.logging.LogBudget;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.HistorySink;
import org.opentrade.market.port.StoreUnavailableException;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * Writes trades, closed bars and feed positions to the {@link TimeSeriesStore} in batches, on its
 * own thread, so the live side never waits for the store.
 *
 * <p>The market context hands items over through a bounded queue ({@link #trade}, {@link #closedBar},
 * {@link #position}: never block). The writer gathers what arrives within {@code flushIntervalMs} of
 * a batch's first item, up to {@code maxBatch} items, writes
 * trades, then bars, then the checkpoint of the highest position in the batch, and only then tells
 * {@code stored} (the board, hence the exchange's retention) that those events are safe.
 *
 * <p>A store that is down or slow: the batch is retried with backoff (1 s doubling to 30 s), one log
 * line when the outage starts and one when it ends; live data goes on, filling the queue. Any other
 * RuntimeException from the store (an odd answer, a refused value) is retried the same way and logged
 * once per exception class until a write succeeds (with a budget of lines): it used to end the thread,
 * and history stopped until a restart. Only an {@link Error} ends the thread, with a SEVERE line. A full
 * queue drops new items, counted in {@link #dropped()} with one log line, and freezes the checkpoint
 * at the last position before the first drop: the exchange keeps everything after it, and the next
 * start rebuilds the missing history from there (trades are idempotent, bars upserts). Nothing that
 * was checkpointed is ever lost.
 */
public final class HistoryWriter implements HistorySink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HistoryWriter.class.getName());
    private static final long MAX_BACKOFF_MS = 30_000;
    /** Kinds of write failure logged with their stack trace per failure spell; more are only counted. */
    private static final int MAX_KINDS_LOGGED = 16;
    /** Longest sleep between two drains while a batch is gathered. */
    private static final long GATHER_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private record Position(int shard, long seq) {
    }

    private final TimeSeriesStore store;
    private final BlockingQueue<Object> queue;
    private final int maxBatch;
    private final long flushIntervalMs;
    private final BiConsumer<Integer, Long> stored;
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Map<Integer, Long> frozenAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Long> lastHanded = new HashMap<>(); // market context only
    /** Exception classes already logged since the last successful write (writer thread). */
    private final Set<Class<?>> kindsLogged = new HashSet<>();
    /** At most 20 lines of write failures a minute, then a count of those left out. */
    private final LogBudget failureLog = new LogBudget(20, 60_000, System::currentTimeMillis);
    private volatile boolean running = true;
    private volatile boolean healthy = true;

    /**
     * @param maxBuffered     items held while the store is slow or down. Larger: a longer outage without
     *                        a history gap until restart; more heap (about 100 bytes per item).
     * @param maxBatch        items per store write. Larger: fewer, bigger writes; longer per write.
     * @param flushIntervalMs longest wait before a partial batch is written. Shorter: history and the
     *                        exchange checkpoint follow live data more closely; more small writes.
     * @param stored          told (on the writer thread) that a shard's events up to a seq are stored
     */
    public HistoryWriter(TimeSeriesStore store, int maxBuffered, int maxBatch, long flushIntervalMs,
                         BiConsumer<Integer, Long> stored) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(maxBuffered);
        this.maxBatch = maxBatch;
        this.flushIntervalMs = flushIntervalMs;
        this.stored = stored;
        this.thread = new Thread(this::run, "market-history-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void trade(Trade trade) {
        offer(trade, trade.shard());
    }

    @Override
    public void closedBar(Bar bar) {
        offer(bar, -1);
    }

    @Override
    public void position(int shard, long seq) {
        Long last = lastHanded.get(shard);
        if (last != null && last >= seq) {
            return;
        }
        lastHanded.put(shard, seq);
        offer(new Position(shard, seq), shard);
    }

    private void offer(Object item, int shard) {
        if (!queue.offer(item)) {
            if (dropped.getAndIncrement() == 0) {
                LOG.severe("market history buffer is full (" + (queue.size()) + " items): the store is down or too "
                        + "slow; history is frozen at its checkpoint and will be rebuilt from the exchange at the next start");
            }
            if (shard >= 0) {
                frozenAt.putIfAbsent(shard, lastHanded.getOrDefault(shard, 0L));
            } else {
                for (Map.Entry<Integer, Long> e : lastHanded.entrySet()) {
                    frozenAt.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
    }

    private void run() {
        try {
            drain();
        } catch (Error e) { // OutOfMemoryError and the like: the writer stops, but never silently
            healthy = false;
            LOG.log(Level.SEVERE, "market history writer stopped by " + e + "; history is no longer written and"
                    + " will be rebuilt from the exchange at the next start", e);
            throw e;
        }
    }

    private void drain() {
        List<Object> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(flushIntervalMs, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                writeWithRetry(batch);
                batch.clear();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            }
        }
    }

    /**
     * Adds to {@code batch} what arrives within {@code flushIntervalMs} of its first item, up to
     * {@code maxBatch}: one store write (one commit) per interval however fast events come. Without
     * this the writer wrote each item on its own as soon as it came (a commit per order event under
     * trading load, the all-in-one's costliest thread in the trade benchmark).
     *
     * <p>Between drains the writer sleeps instead of waiting on the queue: a thread waiting on it is
     * woken by every item offered, and that wake-up (a futex call) was paid by the market context, 11 %
     * of its time at a million events per second. Sleeping in steps of {@link #GATHER_STEP_NANOS} sees a
     * full batch or a {@code close()} within that step.
     */
    private void gather(List<Object> batch) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(flushIntervalMs);
        while (running && batch.size() < maxBatch) {
            queue.drainTo(batch, maxBatch - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= maxBatch || left <= 0) {
                return;
            }
            if (queue.size() < maxBatch - batch.size()) {
                LockSupport.parkNanos(Math.min(left, GATHER_STEP_NANOS)); // the writer's own thread
            }
        }
        queue.drainTo(batch, maxBatch - batch.size());
    }

    private void writeWithRetry(List<Object> batch) throws InterruptedException {
        long backoff = 1000;
        while (true) {
            try {
                write(batch);
                if (!healthy) {
                    healthy = true;
                    kindsLogged.clear();
                    LOG.info("market history store is back; buffered history written");
                }
                return;
            } catch (StoreUnavailableException | IllegalStateException e) {
                failures.incrementAndGet();
                if (healthy) {
                    healthy = false;
                    LOG.log(Level.WARNING, "market history store unavailable; live data goes on, history is buffered"
                            + " (" + queue.size() + " items) and retried: " + e.getMessage());
                }
            } catch (RuntimeException e) { // an odd answer or a refused item: retried like an outage, never fatal
                failures.incrementAndGet();
                healthy = false;
                logFailure(e, batch.size());
            }
            if (!running) {
                LOG.warning("stopping with " + (batch.size() + queue.size()) + " history items unwritten; they are"
                        + " rebuilt from the exchange at the next start");
                queue.clear();
                return;
            }
            Thread.sleep(backoff); // the writer's own thread (market-history-writer), never an event loop
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /**
     * Logs a store failure other than unavailability once per kind (exception class) until a write succeeds
     * again, with its stack trace, within {@link #failureLog}'s budget: a store that fails every write the same
     * way must not write a line per retry.
     */
    private void logFailure(RuntimeException e, int items) {
        if (kindsLogged.size() >= MAX_KINDS_LOGGED || !kindsLogged.add(e.getClass())) {
            return;
        }
        LogBudget.Admission a = failureLog.admit();
        if (a.leftOutBefore() > 0) {
            LOG.warning(failureLog.leftOutText(a.leftOutBefore(), "market history write failures"));
        }
        if (a.allowed()) {
            LOG.log(Level.WARNING, "market history store write of " + items + " items failed (" + e
                    + "); live data goes on, history is buffered and retried", e);
        }
    }

    private void write(List<Object> batch) {
        List<Trade> trades = new ArrayList<>();
        List<Bar> minute = new ArrayList<>();
        List<Bar> day = new ArrayList<>();
        Map<Integer, Long> positions = new HashMap<>();
        for (Object o : batch) {
            if (o instanceof Trade t) {
                trades.add(t);
            } else if (o instanceof Bar b) {
                (b.interval() == Interval.D1 ? day : minute).add(b);
            } else if (o instanceof Position p) {
                positions.merge(p.shard(), p.seq(), Math::max);
            }
        }
        if (!trades.isEmpty()) {
            store.writeTrades(trades);
        }
        if (!minute.isEmpty()) {
            store.writeBars(Interval.M1, minute);
        }
        if (!day.isEmpty()) {
            store.writeBars(Interval.D1, day);
        }
        for (Map.Entry<Integer, Long> e : positions.entrySet()) {
            Long frozen = frozenAt.get(e.getKey());
            long seq = frozen == null ? e.getValue() : Math.min(frozen, e.getValue());
            store.checkpoint(e.getKey(), seq);
            stored.accept(e.getKey(), seq);
        }
        written.addAndGet(trades.size() + minute.size() + day.size());
    }

    /** Trades and bars written so far. */
    public long written() {
        return written.get();
    }

    /** Items dropped because the buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Failed store writes (each retried). */
    public long failures() {
        return failures.get();
    }

    /** Items waiting to be written. */
    public int buffered() {
        return queue.size();
    }

    /** Whether the last write succeeded. */
    public boolean healthy() {
        return healthy;
    }

    /** Writes what is buffered (trying for up to {@code timeoutMs}), then stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
