package org.opentrade.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.error.ErrorCode;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.error.TraceIds;
import org.opentrade.exchange.app.ExchangeMetrics;

/**
 * The operations endpoints every service offers (DESIGN.md API map): {@code GET /health} (the
 * process is up), {@code GET /ready} (200 once the exchange serves commands, else 503 with the
 * error model), {@code GET /metrics} (Prometheus text). Every response carries {@code X-Trace-Id};
 * unknown paths, wrong methods and unexpected failures answer with the error model.
 *
 * <p>Handlers run on the HTTP server's event loop and never block: readiness and metrics are read
 * from atomics the exchange maintains, never from the engine itself.
 */
final class OperationsEndpoints {
    static final String TRACE_HEADER = "X-Trace-Id";
    private static final Logger LOG = Logger.getLogger(OperationsEndpoints.class.getName());
    /** Same key as the gateway's tracing filter, which sets it when the gateway shares the router. */
    private static final String TRACE_KEY = "opentrade.traceId";
    private static final String JSON = "application/json";

    private OperationsEndpoints() {
    }

    static Router router(Vertx vertx, BooleanSupplier ready, Supplier<ExchangeMetrics> metrics) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            String traceId = TraceIds.from(ctx.request().getHeader("traceparent"));
            ctx.put(TRACE_KEY, traceId);
            ctx.response().putHeader(TRACE_HEADER, traceId);
            ctx.next();
        });
        addRoutes(router, ready, () -> PrometheusText.render(metrics.get()));
        router.errorHandler(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().path(),
                ErrorCode.NOT_FOUND.code()));
        router.errorHandler(405, ctx -> error(ctx, 405, "method " + ctx.request().method() + " not allowed on "
                + ctx.request().path(), ErrorCode.METHOD_NOT_ALLOWED.code()));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.SEVERE, "request failed, trace " + traceId(ctx), ctx.failure());
            error(ctx, 500, "internal error", ErrorCode.INTERNAL.code());
        });
        return router;
    }

    /**
     * Adds {@code /health}, {@code /ready} and {@code /metrics} to a router whose first handler sets
     * the trace id (the gateway's, in the all-in-one).
     */
    static void addRoutes(Router router, BooleanSupplier ready, Supplier<String> metricsText) {
        router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/ready").handler(ctx -> {
            if (ready.getAsBoolean()) {
                json(ctx, 200, new JsonObject().put("status", "READY"));
            } else {
                error(ctx, 503, "the exchange is not ready (recovering or stopping)", ErrorCode.UNAVAILABLE.code());
            }
        });
        router.get("/metrics").handler(ctx -> ctx.response().setStatusCode(200)
                .putHeader("Content-Type", PrometheusText.CONTENT_TYPE)
                .end(metricsText.get()));
    }

    private static String traceId(RoutingContext ctx) {
        String id = ctx.get(TRACE_KEY);
        if (id == null) {
            id = TraceIds.random();
            ctx.put(TRACE_KEY, id);
        }
        return id;
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
    }

    private static void error(RoutingContext ctx, int status, String message, int errorNo) {
        String traceId = traceId(ctx);
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ctx.response().setStatusCode(status).putHeader(TRACE_HEADER, traceId).putHeader("Content-Type", JSON)
                .end(new ErrorBody(message, errorNo, traceId).toJson());
    }
}
