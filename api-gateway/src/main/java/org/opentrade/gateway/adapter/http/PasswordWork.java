package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.opentrade.gateway.domain.GatewayError;

/**
 * Where passwords are hashed and checked (sign-up, log-in): a worker pool of its own with a bound on
 * the work waiting for it. One Argon2id hash costs about 66 ms of a core at the default cost, so a few
 * dozen sign-ups or log-ins a second, each admitted by its own address's budget, would otherwise take
 * every core and the process's shared worker pool, which also runs K-line queries and the exchange
 * feed's replays in the all-in-one. Here they take at most {@code threads} cores; past {@code threads +
 * queued} in flight a request is refused at once with 503 -9004 and {@code Retry-After}, so the wait
 * of an admitted one is bounded (about {@code (queued / threads + 1)} hashes).
 */
public final class PasswordWork {
    private final WorkerExecutor executor;
    private final int bound;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    /**
     * @param threads cores hashing may take at once (the pool's size)
     * @param queued  requests that may wait for a thread; more are refused
     */
    public PasswordWork(Vertx vertx, int threads, int queued) {
        if (threads < 1 || queued < 0) {
            throw new IllegalArgumentException("threads " + threads + ", queued " + queued);
        }
        this.executor = vertx.createSharedWorkerExecutor("opentrade-password", threads);
        this.bound = threads + queued;
    }

    /**
     * Runs {@code work} on the pool, or fails at once with a {@link Rejection} -9004 when {@code threads +
     * queued} are already in flight. The caller answers the refusal (with {@code Retry-After}: {@link
     * #refusal}).
     */
    public <T> Future<T> run(Callable<T> work) {
        if (inFlight.incrementAndGet() > bound) {
            inFlight.decrementAndGet();
            refused.increment();
            return Future.failedFuture(new Rejection(GatewayError.OVERLOADED,
                    "too many sign-ups and log-ins in progress; retry after the time in Retry-After"));
        }
        return executor.executeBlocking(work, false).andThen(ar -> inFlight.decrementAndGet());
    }

    /** Whether {@code err} is this pool's refusal (answered with {@code Retry-After}). */
    public static boolean refusal(Throwable err) {
        return err instanceof Rejection r && r.error() == GatewayError.OVERLOADED;
    }

    /** Requests refused since start. */
    public long refused() {
        return refused.sum();
    }

    /** Work admitted and not finished. */
    public int inFlight() {
        return inFlight.get();
    }

    public Future<Void> close() {
        return executor.close();
    }
}
