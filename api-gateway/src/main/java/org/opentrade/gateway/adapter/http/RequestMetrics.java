package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import org.opentrade.common.metrics.RequestStats;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Request rates and latencies for {@code /metrics} ({@link RequestStats} under
 * {@code opentrade_gateway}): every request counted by route template and status, and one latency
 * histogram over all of them. Limiter decisions show as the 429s of each route, shedding as its 503s.
 *
 * <p>Labels are bounded: the route is the matched policy's name ({@code GET /v1/orders/:order_id}; one
 * of the gateway's few dozen) or {@code unmatched}, never the raw path a caller chose. Called on the
 * event loop; never blocks.
 */
public final class RequestMetrics implements GatewayFilter {
    private final RequestStats stats = new RequestStats("opentrade_gateway");

    @Override
    public int order() {
        return ORDER_TRACING + 1;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        // A stream is counted as it opens (101): an upgraded request's answer never ends (AnswerEnd).
        AnswerEnd.on(ctx, (status, completed) -> record(ctx, status, System.nanoTime() - start, completed));
        ctx.next();
    }

    void record(RoutingContext ctx, int status, long nanos, boolean completed) {
        RoutePolicy route = ctx.get(RequestKeys.ROUTE);
        stats.record(route != null ? route.name() : "unmatched", status, nanos, completed);
    }

    /** The metrics in the Prometheus text exposition format. */
    public String prometheus() {
        return stats.prometheus();
    }
}
