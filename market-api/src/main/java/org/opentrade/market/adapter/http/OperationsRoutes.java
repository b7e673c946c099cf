package org.opentrade.market.adapter.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentrade.common.web.AllowedMethods;
import org.opentrade.common.web.ReadRoutes;
import org.opentrade.market.domain.MarketError;

/**
 * {@code GET /health} (the process answers), {@code /ready} (market data is live: 200, else 503 with
 * the reason) and {@code /metrics} (Prometheus text), plus the error model for unknown paths and
 * methods (a 405 with {@code Allow}). Event loop; never blocks.
 */
public final class OperationsRoutes {
    private OperationsRoutes() {
    }

    public static void mount(Router router, BooleanSupplier ready, Supplier<JsonObject> readiness,
                             Supplier<String> metrics) {
        ReadRoutes.getAndHead(router, "/health").handler(ctx -> MarketHttp.ok(ctx, new JsonObject().put("status", "UP")));
        ReadRoutes.getAndHead(router, "/ready").handler(ctx -> MarketHttp.ok(ctx, ready.getAsBoolean() ? 200 : 503, readiness.get()));
        ReadRoutes.getAndHead(router, "/metrics").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE,
                "text/plain; version=0.0.4").putHeader("X-Trace-Id", MarketHttp.traceId(ctx)).end(metrics.get()));
        router.errorHandler(404, ctx -> MarketHttp.fail(ctx, MarketError.NOT_FOUND, "no such endpoint: "
                + ctx.request().method() + " " + MarketJsonSafe.path(ctx.request().path())));
        router.errorHandler(405, ctx -> {
            String allow = AllowedMethods.of(router, ctx.request().path());
            if (!allow.isEmpty()) {
                ctx.response().putHeader(HttpHeaders.ALLOW, allow);
            }
            MarketHttp.fail(ctx, MarketError.METHOD_NOT_ALLOWED, "method " + ctx.request().method()
                    + " is not allowed on " + MarketJsonSafe.path(ctx.request().path()) + "; allowed: " + allow);
        });
        router.errorHandler(413, ctx -> MarketHttp.fail(ctx, MarketError.BODY_TOO_LARGE, "the request body is too large"));
        router.errorHandler(400, ctx -> MarketHttp.fail(ctx, MarketError.MALFORMED, "malformed request"));
        router.errorHandler(500, ctx -> MarketHttp.internal(ctx, ctx.failure() != null ? ctx.failure()
                : new IllegalStateException("unknown failure")));
    }

    /** Answers 503 -6015 while market data starts. */
    public static void notReady(RoutingContext ctx, String why) {
        MarketHttp.fail(ctx, MarketError.NOT_READY, "market data is not ready yet (" + (why == null ? "starting" : why)
                + "); retry in a few seconds");
    }
}
