package org.opentrade.gateway.adapter.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentrade.common.error.TraceIds;
import org.opentrade.common.web.ReadRoutes;
import org.opentrade.gateway.domain.GatewayError;

/**
 * The operations endpoints (docs/contracts.md, API map): {@code GET /health} (the process is up),
 * {@code GET /ready} (200 when {@code ready} says so, else 503 -9001 with the error model and
 * {@code notReady} as its message), {@code GET /metrics} (Prometheus text, for operators: {@link MetricsAccess}).
 * The one implementation,
 * used by the standalone gateway and by the all-in-one (on the gateway's router), and, with
 * {@link #router}, on a server of their own. Errors are answered by {@link HttpErrors}.
 *
 * <p>Handlers run on the event loop and never block: {@code ready} and {@code metricsText} must read
 * what is kept current elsewhere (atomics, counters), never wait.
 */
public final class OperationsEndpoints {
    /** Prometheus text exposition format 0.0.4. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private OperationsEndpoints() {
    }

    /**
     * Adds the three endpoints to {@code router}, whose first handler sets the trace id (the gateway's
     * tracing filter does).
     */
    public static void addRoutes(Router router, BooleanSupplier ready, String notReady, Supplier<String> metricsText) {
        addRoutes(router, () -> ready.getAsBoolean() ? null : notReady, metricsText, MetricsAccess.everyone());
    }

    /**
     * As {@link #addRoutes(Router, BooleanSupplier, String, Supplier)}, with the reason not to be ready
     * from {@code whyNotReady} (null when ready, else the 503's message), and {@code /metrics} answered only to
     * callers {@code metrics} allows (others get 401 -2017).
     */
    public static void addRoutes(Router router, Supplier<String> whyNotReady, Supplier<String> metricsText,
                                 MetricsAccess metrics) {
        ReadRoutes.getAndHead(router, "/health").handler(ctx -> JsonBodies.send(ctx, 200, new JsonObject().put("status", "UP")));
        ReadRoutes.getAndHead(router, "/ready").handler(ctx -> {
            String why = whyNotReady.get();
            if (why == null) {
                JsonBodies.send(ctx, 200, new JsonObject().put("status", "READY"));
            } else {
                HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE, why);
            }
        });
        ReadRoutes.getAndHead(router, "/metrics").handler(ctx -> {
            if (!metrics.allows(ctx.request())) {
                HttpErrors.send(ctx, GatewayError.ADMIN_REQUIRED, "/metrics is for operators: call it from an address in"
                        + " gateway.metrics_allowed_cidrs (this host only by default) or with X-Admin-Token");
                return;
            }
            ctx.response().setStatusCode(200).putHeader("Content-Type", METRICS_CONTENT_TYPE).end(metricsText.get());
        });
    }

    /**
     * A router with only the operations endpoints, for a server of their own: every answer carries
     * {@code X-Trace-Id} (the caller's W3C trace id, else a new one); unknown paths, wrong methods and
     * failures are answered with the error model.
     */
    public static Router router(Vertx vertx, BooleanSupplier ready, String notReady, Supplier<String> metricsText) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            String traceId = TraceIds.from(ctx.request().getHeader("traceparent"));
            ctx.put(RequestKeys.TRACE_ID, traceId);
            ctx.response().putHeader(HttpErrors.TRACE_HEADER, traceId);
            ctx.next();
        });
        addRoutes(router, ready, notReady, metricsText);
        router.route().failureHandler(HttpErrors::failure);
        router.errorHandler(404, ctx -> HttpErrors.send(ctx, GatewayError.NOT_FOUND,
                "no such endpoint: " + GatewayRouter.printable(ctx.request().path())));
        router.errorHandler(405, ctx -> HttpErrors.send(ctx, GatewayError.METHOD_NOT_ALLOWED, "method "
                + ctx.request().method() + " not allowed on " + GatewayRouter.printable(ctx.request().path())));
        router.errorHandler(500, ctx -> HttpErrors.fail(ctx, ctx.failure() != null ? ctx.failure()
                : new IllegalStateException("unknown failure")));
        return router;
    }
}
