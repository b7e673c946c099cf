package org.opentrade.exchange.client.feed;

/**
 * Time and hand-over for the feed consumer (port), so the core has no clock, timer or thread of its
 * own: on Vert.x it is the consumer's context ({@code VertxScheduler}); in tests a manual scheduler
 * whose time the test advances.
 *
 * <p>Both methods may be called from any thread and run the task on the consumer's thread.
 */
public interface Scheduler {
    /** Runs {@code task} once, no earlier than {@code delayMillis} from now. */
    Timer schedule(long delayMillis, Runnable task);

    /**
     * Runs {@code task} soon, never inside this call: the consumer uses it to hand work over to its
     * thread and to unwind a reply that completed synchronously, so deep paging cannot recurse.
     */
    void execute(Runnable task);

    /** A scheduled task. */
    @FunctionalInterface
    interface Timer {
        /** Keeps the task from running if it has not yet; idempotent. */
        void cancel();
    }
}
