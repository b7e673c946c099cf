package org.opentrade.common.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request rates and latencies of one HTTP service for {@code /metrics}: requests counted by route and
 * status, one latency histogram over all of them, in the Prometheus text format under a prefix
 * ({@code opentrade_gateway}, {@code market}, {@code trade}).
 *
 * <p>Labels are bounded by the caller: the route must be a template or a fixed name, never a raw path
 * a client chose (see {@link #routeLabel}); the status is one of a fixed set or {@code other}. Cost
 * per request: a map lookup and three counter increments. Any thread; never blocks.
 */
public final class RequestStats {
    /** Upper bounds of the latency buckets, in seconds (and +Inf). */
    public static final double[] BOUNDS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    private static final int[] STATUSES = {101, 200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 414, 422, 429, 431,
            500, 502, 503, 504};
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final String prefix;
    private final Map<String, LongAdder[]> byRoute = new ConcurrentHashMap<>();
    private final Histogram durations = Histogram.seconds(BOUNDS);
    private final LongAdder closedEarly = new LongAdder();
    /** Requests begun and not yet answered (WebSocket upgrades are not counted: a stream is not a request). */
    private final LongAdder inFlight = new LongAdder();

    /** @param prefix the metric names' prefix, e.g. {@code trade} for {@code trade_requests_total} */
    public RequestStats(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The route label of a request: {@code "<METHOD> <template>"} with a standard method (any other,
     * which a client may invent, is {@code OTHER}), or {@code unmatched} without a template.
     */
    public static String routeLabel(String method, String template) {
        if (template == null) {
            return "unmatched";
        }
        return (method != null && METHODS.contains(method) ? method : "OTHER") + " " + template;
    }

    /** A request has begun; {@link #ended} follows when its answer has ended or its connection closed. */
    public void begun() {
        inFlight.increment();
    }

    /** A request {@link #begun} has been answered, or its connection closed. */
    public void ended() {
        inFlight.decrement();
    }

    /** Requests begun and not yet ended: what a graceful stop waits for. */
    public int inFlight() {
        return (int) Math.max(0, inFlight.sum());
    }

    /**
     * Counts one answered request.
     *
     * @param route     a bounded label ({@link #routeLabel})
     * @param completed false when the connection closed before the answer ended
     */
    public void record(String route, int status, long nanos, boolean completed) {
        byRoute.computeIfAbsent(route, t -> newCounters())[slot(status)].increment();
        if (!completed) {
            closedEarly.increment();
        }
        durations.record(nanos);
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
        String requests = prefix + "_requests_total";
        b.append("# HELP ").append(requests).append(" Requests answered, by route template and HTTP status.\n");
        b.append("# TYPE ").append(requests).append(" counter\n");
        byRoute.forEach((route, counters) -> {
            for (int i = 0; i < counters.length; i++) {
                long n = counters[i].sum();
                if (n > 0) {
                    b.append(requests).append("{route=\"").append(escape(route)).append("\",status=\"")
                            .append(i < STATUSES.length ? Integer.toString(STATUSES[i]) : "other").append("\"} ")
                            .append(n).append('\n');
                }
            }
        });
        durations.appendPrometheus(b, prefix + "_request_duration_seconds",
                "Time from the request's arrival to the end of its answer.");
        String early = prefix + "_requests_closed_early_total";
        b.append("# HELP ").append(early).append(" Requests whose connection closed before the answer ended.\n");
        b.append("# TYPE ").append(early).append(" counter\n");
        b.append(early).append(' ').append(closedEarly.sum()).append('\n');
        String flying = prefix + "_requests_in_flight";
        b.append("# HELP ").append(flying).append(" Requests being served now (WebSocket streams not counted).\n");
        b.append("# TYPE ").append(flying).append(" gauge\n");
        b.append(flying).append(' ').append(inFlight()).append('\n');
        return b.toString();
    }

    /** A label value as the text format wants it (templates hold no quotes, but be safe). */
    public static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
