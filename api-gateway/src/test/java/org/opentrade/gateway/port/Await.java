package org.opentrade.gateway.port;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Waiting in tests for async work: always for an event or a condition, always with a timeout. */
public final class Await {

    /** How long a store call may take in a test before it counts as hung. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    /** The stage's value; fails the test on timeout, rethrows the stage's failure unwrapped. */
    public static <T> T result(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        }
    }

    /** Takes from {@code queue} until an element matches; fails the test when none comes in time. */
    public static <T> T element(BlockingQueue<T> queue, Predicate<T> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            T next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                return fail("the awaited event did not come within " + TIMEOUT);
            }
            if (wanted.test(next)) {
                return next;
            }
        }
    }

    /** A condition that becomes true as time passes (a TTL, a refill): polls it until true or timeout. */
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} every few ms until it holds; fails the test after {@code timeout}. */
    public static void until(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("condition still false after " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
