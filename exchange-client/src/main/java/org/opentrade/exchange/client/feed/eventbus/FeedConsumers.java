package org.opentrade.exchange.client.feed.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.opentrade.exchange.client.feed.FeedConsumer;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.FeedHandler;

/** Builds feed consumers that run on one Vert.x event-loop context. */
public final class FeedConsumers {
    private FeedConsumers() {
    }

    /**
     * A consumer of the exchange's feed on the event bus, not yet started. It runs on the caller's
     * context when called from an event-loop context (a verticle's start: the handler then shares the
     * verticle's thread), else on a new event-loop context. Call {@link FeedConsumer#start()}.
     */
    public static FeedConsumer onEventBus(Vertx vertx, FeedHandler handler, FeedConsumerOptions options) {
        return onEventBus(vertx, handler, options, EventBusFeedTransport.DEFAULT_REQUEST_TIMEOUT_MILLIS);
    }

    /** As {@link #onEventBus(Vertx, FeedHandler, FeedConsumerOptions)}, with a request timeout. */
    public static FeedConsumer onEventBus(Vertx vertx, FeedHandler handler, FeedConsumerOptions options,
                                          long requestTimeoutMillis) {
        Context current = Vertx.currentContext();
        Context context = current != null && current.isEventLoopContext() ? current : vertx.getOrCreateContext();
        if (!context.isEventLoopContext()) {
            throw new IllegalStateException("call from an event-loop context or from a non-Vert.x thread, not from a "
                    + context.threadingModel() + " context: the consumer runs on one event loop");
        }
        return onContext(vertx, context, handler, options, requestTimeoutMillis);
    }

    /** A consumer on a given event-loop {@code context}. */
    public static FeedConsumer onContext(Vertx vertx, Context context, FeedHandler handler,
                                         FeedConsumerOptions options, long requestTimeoutMillis) {
        return new FeedConsumer(new EventBusFeedTransport(vertx, context, requestTimeoutMillis),
                new VertxScheduler(vertx, context), handler, options);
    }
}
