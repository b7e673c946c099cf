package org.opentrade.exchange.client.feed;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time only moves when the test says so: deterministic, no threads, no
 * sleeps. {@link #execute} queues; {@link #runReady} and {@link #advance} run what is due.
 */
final class ManualScheduler implements Scheduler {
    private final PriorityQueue<Task> timers = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order));
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private long now;
    private long order;

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        Task t = new Task(now + delayMillis, order++, task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    /** Runs handed-over tasks (and what they hand over) until none is left. */
    void runReady() {
        for (Runnable r = ready.poll(); r != null; r = ready.poll()) {
            r.run();
        }
    }

    /** Moves time forward by {@code millis}, running every timer that falls due, in order. */
    void advance(long millis) {
        long until = now + millis;
        runReady();
        for (Task t = timers.peek(); t != null && t.due <= until; t = timers.peek()) {
            timers.poll();
            now = t.due;
            if (!t.cancelled) {
                t.task.run();
            }
            runReady();
        }
        now = until;
    }

    long now() {
        return now;
    }

    /** Timers not yet run nor cancelled. */
    long pendingTimers() {
        return timers.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Task {
        final long due;
        final long order;
        final Runnable task;
        boolean cancelled;

        Task(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }
    }
}
