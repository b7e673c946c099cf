package org.opentrade.exchange.client.feed.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * Runs work on one event-loop context: inline when already there (a message handler runs on a
 * duplicate of the context that registered it, which is the same event loop), else handed over with
 * {@code runOnContext}. This is how the adapter keeps the feed consumer's single-thread contract.
 */
final class OnContext {
    private final ContextInternal context;

    OnContext(Context context) {
        if (!context.isEventLoopContext()) {
            throw new IllegalArgumentException("the feed consumer needs an event-loop context, got "
                    + context.threadingModel());
        }
        this.context = ((ContextInternal) context).unwrap();
    }

    Context context() {
        return context;
    }

    void run(Runnable task) {
        if (isCurrent()) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    /** Always later, never inline. */
    void later(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    private boolean isCurrent() {
        return Vertx.currentContext() instanceof ContextInternal current && current.unwrap() == context;
    }
}
