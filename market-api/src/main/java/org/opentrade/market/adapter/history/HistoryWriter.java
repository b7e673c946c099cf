package org.opentrade.market.adapter.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * once per exception class in {@link #KIND_LOG_NANOS} (with a budget of lines): it used to end the thread,
 * and history stopped until a restart. Only an {@link Error} ends the thread, with a SEVERE line.
 *
 * <p>A batch the store refuses for good (a value it cannot hold) would block every later one. After
 * {@link #ATTEMPTS_BEFORE_SPLIT} failed attempts (at once while the store refused an item within the last
 * minute) it is split in halves, each written on its own, down to the items the store refuses alone:
 * those are dropped, logged and counted in {@link #rejected()}, and the checkpoint freezes before them as
 * for a full queue (below): a refused trade's shard at the seq before it, a refused bar every shard at
 * the position the writer had reached. So no refused trade is ever vouched for, and the next start
 * replays it from the exchange and tries again (so a refusal is taken as passing: an item refused at every start
 * would freeze its shard for good; the one such item known beforehand, a symbol the store cannot hold, never gets
 * here, as market-api leaves its instrument out at start: {@code TimeSeriesStore#refusal}). A store that refuses
 * every item of a batch (broken, not
 * one bad value) gets those items dropped the same way and is not split at once again. A full
 * queue drops new items, counted in {@link #dropped()} with one log line, and freezes the checkpoint
 * at the last position before the first drop: the exchange keeps everything after it, and the next
 * start rebuilds the missing history from there (trades are idempotent, bars upserts). Nothing that
 * was checkpointed is ever lost.
 */
public final class HistoryWriter implements HistorySink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HistoryWriter.class.getName());
    private static final long MAX_BACKOFF_MS = 30_000;
    /** A kind (exception class) of write failure is logged with its stack trace once in this time. */
    private static final long KIND_LOG_NANOS = TimeUnit.MINUTES.toNanos(10);
    /**
     * Attempts (with the outage's backoff) before a batch that fails with anything but unavailability is
     * split. More: an odd answer that passes loses nothing; fewer: the rest of history waits less.
     */
    static final int ATTEMPTS_BEFORE_SPLIT = 3;
    /** After the store refused an item, a failing batch is split at once for this long. */
    private static final long SPLIT_AT_ONCE_NANOS = TimeUnit.MINUTES.toNanos(1);
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
    private final AtomicLong rejected = new AtomicLong();
    // writer thread only:
    /** When each exception class was last logged with its stack trace. */
    private final Map<Class<?>, Long> kindLoggedAt = new HashMap<>();
    /** The highest position of each shard the writer has written (its checkpoint, unless frozen lower). */
    private final Map<Integer, Long> reached = new HashMap<>();
    /** A refused bar froze every shard: one not {@link #reached} then gets no checkpoint this run. */
    private boolean frozeEveryShard;
    private boolean refusedRecently;
    private long lastRefusalNanos;
    private boolean outage;
    private boolean abandoned;
    /** At most 20 lines of write failures and refused items a minute, then a count of those left out. */
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
                frozenAt.merge(shard, lastHanded.getOrDefault(shard, 0L), Math::min);
            } else {
                for (Map.Entry<Integer, Long> e : lastHanded.entrySet()) {
                    frozenAt.merge(e.getKey(), e.getValue(), Math::min);
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
        int refused = store(batch, ATTEMPTS_BEFORE_SPLIT);
        if (abandoned) {
            return;
        }
        if (refused < batch.size() && !healthy) {
            healthy = true;
            if (outage) {
                outage = false;
                LOG.info("market history store is back; buffered history written");
            }
        }
        if (refused == batch.size() && batch.size() > 1) {
            refusedRecently = false; // it refused everything: a broken store, not one bad item; wait before splitting again
        }
    }

    /**
     * Writes {@code batch}, retrying while the store is unavailable; after {@code attempts} other failures
     * splits it ({@link #split}). Returns how many of its items the store refused (and were dropped).
     */
    private int store(List<Object> batch, int attempts) throws InterruptedException {
        long backoff = 1000;
        int failed = 0;
        while (!abandoned) {
            try {
                write(batch);
                return 0;
            } catch (StoreUnavailableException | IllegalStateException e) {
                failures.incrementAndGet();
                healthy = false;
                if (!outage) {
                    outage = true;
                    LOG.log(Level.WARNING, "market history store unavailable; live data goes on, history is buffered"
                            + " (" + queue.size() + " items) and retried: " + e.getMessage());
                }
            } catch (RuntimeException e) { // an odd answer or a refused item: never fatal
                failures.incrementAndGet();
                healthy = false;
                logFailure(e, batch.size());
                if (++failed >= attempts || !running || splitAtOnce()) {
                    return split(batch, e);
                }
            }
            if (!running) {
                LOG.warning("stopping with " + (batch.size() + queue.size()) + " history items unwritten; they are"
                        + " rebuilt from the exchange at the next start");
                abandoned = true;
                queue.clear();
                return 0;
            }
            Thread.sleep(backoff); // the writer's own thread (market-history-writer), never an event loop
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
        return 0;
    }

    /**
     * Writes the halves of {@code batch} one after the other, each on its own and split again at its first
     * failure, so what the store takes is stored in order and an item it refuses alone is found in about
     * 2 log2(n) writes; that item is {@link #refuse refused}. Returns the count refused.
     */
    private int split(List<Object> batch, RuntimeException cause) throws InterruptedException {
        if (batch.size() == 1) {
            refuse(batch.get(0), cause);
            return 1;
        }
        int half = batch.size() / 2;
        int refused = store(new ArrayList<>(batch.subList(0, half)), 1);
        return refused + store(new ArrayList<>(batch.subList(half, batch.size())), 1);
    }

    private boolean splitAtOnce() {
        return refusedRecently && System.nanoTime() - lastRefusalNanos < SPLIT_AT_ONCE_NANOS;
    }

    /**
     * Drops an item the store refused on its own and freezes the checkpoint before it, so the exchange keeps
     * it and the next start replays it: a trade's shard at the seq before it; for a bar (no shard: it may
     * close on the clock) every shard at the position already written. A position item is just not written:
     * a later one carries the checkpoint on.
     */
    private void refuse(Object item, RuntimeException cause) {
        refusedRecently = true;
        lastRefusalNanos = System.nanoTime();
        String what;
        if (item instanceof Trade t) {
            frozenAt.merge(t.shard(), Math.max(0, t.seq() - 1), Math::min);
            what = "trade " + t + "; shard " + t.shard() + "'s checkpoint stays before seq " + t.seq();
        } else if (item instanceof Bar b) {
            for (Map.Entry<Integer, Long> e : reached.entrySet()) {
                frozenAt.merge(e.getKey(), e.getValue(), Math::min);
            }
            frozeEveryShard = true;
            what = "bar " + b + "; every shard's checkpoint stays where it is";
        } else {
            what = "checkpoint " + item;
        }
        if (!(item instanceof Position)) {
            rejected.incrementAndGet();
        }
        LogBudget.Admission a = failureLog.admit();
        if (a.leftOutBefore() > 0) {
            LOG.warning(failureLog.leftOutText(a.leftOutBefore(), "market history write failures"));
        }
        if (a.allowed()) {
            LOG.warning("market history store refused " + what + " (" + cause + "); dropped, the rest of history goes"
                    + " on; the next start replays it from the exchange");
        }
    }

    /**
     * Logs a store failure other than unavailability with its stack trace once per kind (exception class) in
     * {@link #KIND_LOG_NANOS}, within {@link #failureLog}'s budget: a store that fails every write the same
     * way must not write a line per retry.
     */
    private void logFailure(RuntimeException e, int items) {
        long now = System.nanoTime();
        Long last = kindLoggedAt.get(e.getClass());
        if (last != null && now - last < KIND_LOG_NANOS) {
            return;
        }
        if (kindLoggedAt.size() >= 64) {
            kindLoggedAt.clear();
        }
        kindLoggedAt.put(e.getClass(), now);
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
            if (frozen == null && frozeEveryShard) {
                frozen = 0L;
            }
            long seq = frozen == null ? e.getValue() : Math.min(frozen, e.getValue());
            if (seq > 0) { // frozen before any position of this run: the stored checkpoint stands
                store.checkpoint(e.getKey(), seq);
                stored.accept(e.getKey(), seq);
            }
            reached.merge(e.getKey(), e.getValue(), Math::max);
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

    /** Trades and bars the store refused on their own, dropped (and rebuilt from the exchange at the next start). */
    public long rejected() {
        return rejected.get();
    }

    /** Failed store writes (each retried or split). */
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
