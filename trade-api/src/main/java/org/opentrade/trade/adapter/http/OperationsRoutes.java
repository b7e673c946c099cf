package org.opentrade.trade.adapter.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentrade.common.web.ReadRoutes;
import org.opentrade.trade.domain.TradeError;

/**
 * {@code GET /health}, {@code /ready} (200 once live on every shard, else 503 with the reason) and
 * {@code /metrics} (Prometheus text), plus the error model for unknown paths and methods. Event
 * loop; never blocks.
 */
public final class OperationsRoutes {
    private OperationsRoutes() {
    }

    public static void mount(Router router, BooleanSupplier ready, Supplier<JsonObject> readiness, Supplier<String> metrics) {
        mount(router, () -> true, ready, readiness, metrics);
    }

    /**
     * As {@link #mount(Router, BooleanSupplier, Supplier, Supplier)}; {@code /health} answers 503
     * ({@code "status": "DOWN"}) while {@code healthy} is false: the process cannot recover by itself and
     * wants a restart from its supervisor.
     */
    public static void mount(Router router, BooleanSupplier healthy, BooleanSupplier ready, Supplier<JsonObject> readiness,
                             Supplier<String> metrics) {
        ReadRoutes.getAndHead(router, "/health").handler(ctx -> {
            boolean up = healthy.getAsBoolean();
            TradeHttp.ok(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN"));
        });
        ReadRoutes.getAndHead(router, "/ready").handler(ctx -> TradeHttp.ok(ctx, ready.getAsBoolean() ? 200 : 503, readiness.get()));
        ReadRoutes.getAndHead(router, "/metrics").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4")
                .putHeader("X-Trace-Id", TradeHttp.traceId(ctx)).end(metrics.get()));
        router.errorHandler(404, ctx -> TradeHttp.fail(ctx, TradeError.NOT_FOUND, "no such endpoint: "
                + ctx.request().method() + " " + OrderBodies.clip(ctx.request().path())));
        router.errorHandler(405, ctx -> TradeHttp.fail(ctx, TradeError.METHOD_NOT_ALLOWED, "method "
                + ctx.request().method() + " is not allowed on " + OrderBodies.clip(ctx.request().path())));
        router.errorHandler(413, ctx -> TradeHttp.fail(ctx, TradeError.BODY_TOO_LARGE, "the request body is too large"));
        router.errorHandler(400, ctx -> TradeHttp.fail(ctx, TradeError.MALFORMED, "malformed request"));
        router.errorHandler(500, ctx -> TradeHttp.internal(ctx, ctx.failure() != null ? ctx.failure()
                : new IllegalStateException("unknown failure")));
    }

    public static void notReady(RoutingContext ctx, String why) {
        TradeHttp.fail(ctx, TradeError.NOT_READY, "trading is not ready yet (" + (why == null ? "starting" : why)
                + "); retry in a few seconds");
    }
}
