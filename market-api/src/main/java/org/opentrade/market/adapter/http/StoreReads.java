package org.opentrade.market.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where REST handlers read the history store (K-line and trade pages): a worker pool of its own with a bound on
 * the reads waiting for it. One read can take up to {@code KlineQuery.MAX_SOURCE_BARS} (300 000) bars, tens of
 * MB of heap and tens of ms of a core (more against a slow InfluxDB, whose every page may wait its request
 * timeout); on the process's shared worker pool, which in the all-in-one also runs the exchange feed's replays
 * and the services' start-up and shutdown work, a caller asking such pages faster than they finish queued them
 * without bound, and the reads held every worker thread. Here they take at most {@code threads} threads; past
 * {@code threads + queued} in flight a read is refused at once ({@link #refused(Throwable)}: answered 503 -6014
 * with {@code Retry-After}), so the wait of an admitted one and the heap all of them hold stay bounded.
 *
 * <p>A read that has not answered within {@code timeout} fails its caller with a {@link TimeoutException}
 * (answered 503 -6014 too) and goes on holding its slot until the store returns: a store that hangs (an
 * InfluxDB waits up to its request timeout, 30 s, per page) gives its callers market-api's answer before the
 * gateway's upstream deadline (5 s) gives them a 504, and its reads stay bounded however often they are asked.
 * Thread-safe; {@link #run} never blocks; call it on a Vert.x context (the timeout's timer runs there).
 */
public final class StoreReads {
    private final WorkerExecutor executor;
    private final int bound;
    private final long timeoutMs;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();

    /** Refusal of a read when the pool and its queue are full. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("too many history reads in progress", null, false, false);
        }
    }

    /**
     * @param threads store reads running at once (the pool's size)
     * @param queued  reads that may wait for a thread; more are refused
     * @param timeout longest wait of a caller for its read, queueing included
     */
    public StoreReads(Vertx vertx, int threads, int queued, Duration timeout) {
        if (threads < 1 || queued < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("threads " + threads + ", queued " + queued + ", timeout " + timeout);
        }
        this.executor = vertx.createSharedWorkerExecutor("market-store-reads", threads);
        this.bound = threads + queued;
        this.timeoutMs = timeout.toMillis();
    }

    /**
     * Runs {@code read} on the pool, or fails at once with a refusal when {@code threads + queued} are in flight;
     * fails with a {@link TimeoutException} when it has not answered within the timeout (it goes on in its slot).
     */
    public <T> Future<T> run(Callable<T> read) {
        if (inFlight.incrementAndGet() > bound) {
            inFlight.decrementAndGet();
            refused.increment();
            return Future.failedFuture(new Busy());
        }
        return executor.executeBlocking(read, false).andThen(ar -> inFlight.decrementAndGet())
                .timeout(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Whether {@code err} says the read did not answer within the timeout. */
    static boolean late(Throwable err) {
        return err instanceof TimeoutException;
    }

    /** The timeout, in whole seconds (at least 1) as a message states it. */
    long timeoutSeconds() {
        return Math.max(1, (timeoutMs + 999) / 1000);
    }

    /** Whether {@code err} is this pool's refusal. */
    static boolean refused(Throwable err) {
        return err instanceof Busy;
    }

    /** Reads admitted and not finished. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Reads refused since start. */
    public long refusedReads() {
        return refused.sum();
    }

    public Future<Void> close() {
        return executor.close();
    }
}
