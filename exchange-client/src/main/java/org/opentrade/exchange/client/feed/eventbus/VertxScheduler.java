package org.opentrade.exchange.client.feed.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.opentrade.exchange.client.feed.Scheduler;

/**
 * The feed consumer's {@link Scheduler} on Vert.x: timers and hand-overs that run on one event-loop
 * context. May be called from any thread. Cost: a Vert.x timer per scheduled task.
 */
public final class VertxScheduler implements Scheduler {
    private final Vertx vertx;
    private final OnContext onContext;

    /** Runs every task on {@code context}, which must be an event-loop context. */
    public VertxScheduler(Vertx vertx, Context context) {
        this.vertx = vertx;
        this.onContext = new OnContext(context);
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delayMillis), t -> onContext.run(task));
        return () -> vertx.cancelTimer(id);
    }

    @Override
    public void execute(Runnable task) {
        onContext.later(task);
    }
}
