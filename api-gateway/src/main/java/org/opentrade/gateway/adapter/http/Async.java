package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Bridges the ports' {@code CompletionStage}s back onto the request's event loop, and fails requests. */
final class Async {

    private Async() {
    }

    /** The stage as a Future whose callbacks run on the request's context. */
    static <T> Future<T> on(RoutingContext ctx, CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
    }

    /**
     * Fails the request with {@code err}; the router's failure handler answers it in the one place
     * that maps failures to responses ({@link HttpErrors#failure}): a {@link Rejection} with its error,
     * a {@link StoreFailure} -9003, anything else -9000.
     */
    static void fail(RoutingContext ctx, Throwable err) {
        Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        ctx.fail(e instanceof Rejection || e instanceof StoreFailure ? e : new Unexpected(e));
    }

    /** Marks a failure of a store port (so it is answered 503 -9003, not 500). */
    static final class StoreFailure extends RuntimeException {
        StoreFailure(Throwable cause) {
            super(cause);
        }
    }

    /**
     * An unexpected failure of the gateway's own code, told apart from failures Vert.x reports while a
     * request is still being read (those are the client's malformed HTTP).
     */
    static final class Unexpected extends RuntimeException {
        Unexpected(Throwable cause) {
            super(cause);
        }
    }

    /** The stage as a Future on the request's context whose failures are {@link StoreFailure}s. */
    static <T> Future<T> store(RoutingContext ctx, CompletionStage<T> stage) {
        return on(ctx, stage).recover(err -> {
            Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            return Future.failedFuture(e instanceof Rejection ? e : new StoreFailure(e));
        });
    }
}
