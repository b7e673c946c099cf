package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.gateway.domain.GatewayError;

/** Bridges the ports' {@code CompletionStage}s back onto the request's event loop, and answers failures. */
final class Async {
    private static final Logger LOG = Logger.getLogger(Async.class.getName());

    private Async() {
    }

    /** The stage as a Future whose callbacks run on the request's context. */
    static <T> Future<T> on(RoutingContext ctx, CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
    }

    /**
     * Answers a failed request: a {@link Rejection} with its error, anything else logged once with
     * the trace id and answered -9000 (store failures -9003), never with its message or stack trace.
     */
    static void fail(RoutingContext ctx, Throwable err) {
        Throwable e = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        if (e instanceof Rejection r) {
            HttpErrors.send(ctx, r.error(), r.getMessage());
            return;
        }
        if (e instanceof StoreFailure) {
            LOG.warning("store unreachable, trace " + HttpErrors.traceId(ctx) + ": " + e.getCause());
            HttpErrors.send(ctx, GatewayError.STORE_UNAVAILABLE);
            return;
        }
        LOG.log(Level.SEVERE, "request failed, trace " + HttpErrors.traceId(ctx), e);
        HttpErrors.send(ctx, GatewayError.INTERNAL);
    }

    /** Marks a failure of a store port (so it is answered 503 -9003, not 500). */
    static final class StoreFailure extends RuntimeException {
        StoreFailure(Throwable cause) {
            super(cause);
        }
    }

    /** The stage as a Future on the request's context whose failures are {@link StoreFailure}s. */
    static <T> Future<T> store(RoutingContext ctx, CompletionStage<T> stage) {
        return on(ctx, stage).recover(err -> {
            Throwable e = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            return Future.failedFuture(e instanceof Rejection ? e : new StoreFailure(e));
        });
    }
}
