package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Request rates and latencies for {@code /metrics}: every request counted by route template and
 * status, and one latency histogram over all of them, in the Prometheus text format. Limiter
 * decisions show as the 429s of each route, shedding as its 503s.
 *
 * <p>Labels are bounded: the route is the matched template ({@code /v1/orders/:order_id}; one of the
 * gateway's few dozen) or {@code unmatched}, never the raw path a caller chose; the status is one of
 * a fixed set or {@code other}. Cost per request: two clock reads, a map lookup, three counter
 * increments. Called on the event loop; never blocks.
 */
public final class RequestMetrics implements GatewayFilter {
    /** Upper bounds of the latency buckets, in seconds (and +Inf). */
    static final double[] BOUNDS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    private static final int[] STATUSES = {101, 200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 414, 422, 429, 431,
            500, 502, 503, 504};

    private final Map<String, LongAdder[]> byRoute = new ConcurrentHashMap<>();
    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();
    private final LongAdder closedEarly = new LongAdder();

    public RequestMetrics() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    @Override
    public int order() {
        return ORDER_TRACING + 1;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(done -> record(ctx, System.nanoTime() - start, done.succeeded()));
        ctx.next();
    }

    void record(RoutingContext ctx, long nanos, boolean completed) {
        RoutePolicy route = ctx.get(RequestKeys.ROUTE);
        String template = route != null ? route.name() : "unmatched";
        LongAdder[] statuses = byRoute.computeIfAbsent(template, t -> newCounters());
        statuses[slot(ctx.response().getStatusCode())].increment();
        if (!completed) {
            closedEarly.increment();
        }
        count.increment();
        sumNanos.add(nanos);
        double seconds = nanos / 1e9;
        int b = 0;
        while (b < BOUNDS.length && seconds > BOUNDS[b]) {
            b++;
        }
        buckets[b].increment();
    }

    private static LongAdder[] newCounters() {
        LongAdder[] a = new LongAdder[STATUSES.length + 1];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    private static int slot(int status) {
        for (int i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i] == status) {
                return i;
            }
        }
        return STATUSES.length;
    }

    /** The metrics in the Prometheus text exposition format. */
    public String prometheus() {
        StringBuilder b = new StringBuilder(4096);
        b.append("# HELP opentrade_gateway_requests_total Requests answered, by route template and HTTP status.\n");
        b.append("# TYPE opentrade_gateway_requests_total counter\n");
        byRoute.forEach((route, counters) -> {
            for (int i = 0; i < counters.length; i++) {
                long n = counters[i].sum();
                if (n > 0) {
                    b.append("opentrade_gateway_requests_total{route=\"").append(escape(route)).append("\",status=\"")
                            .append(i < STATUSES.length ? Integer.toString(STATUSES[i]) : "other").append("\"} ")
                            .append(n).append('\n');
                }
            }
        });
        b.append("# HELP opentrade_gateway_request_duration_seconds Time from the request's arrival to the end of its answer.\n");
        b.append("# TYPE opentrade_gateway_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            b.append("opentrade_gateway_request_duration_seconds_bucket{le=\"")
                    .append(i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf").append("\"} ").append(cumulative).append('\n');
        }
        b.append("opentrade_gateway_request_duration_seconds_sum ").append(sumNanos.sum() / 1e9).append('\n');
        b.append("opentrade_gateway_request_duration_seconds_count ").append(count.sum()).append('\n');
        b.append("# HELP opentrade_gateway_requests_closed_early_total Requests whose connection closed before the answer ended.\n");
        b.append("# TYPE opentrade_gateway_requests_closed_early_total counter\n");
        b.append("opentrade_gateway_requests_closed_early_total ").append(closedEarly.sum()).append('\n');
        return b.toString();
    }

    /** A label value as the text format wants it (templates hold no quotes, but be safe). */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
