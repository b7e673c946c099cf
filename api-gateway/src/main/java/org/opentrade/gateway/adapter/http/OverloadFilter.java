package org.opentrade.gateway.adapter.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrade.common.metrics.RequestStats;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.InFlightLimit;
import org.opentrade.gateway.domain.LoopAdmission;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Sheds load per event loop: each loop admits at most {@code gateway.max_in_flight_per_event_loop}
 * requests at once (from here until their answer ends), of which
 * {@code gateway.in_flight_reserved_for_orders} only orders and cancels may use. Past that a request
 * is answered at once with 503 -9004 and {@code Retry-After}, before metering, authentication or any
 * upstream call, so refusing it costs far less than serving it and what is admitted keeps its
 * latency. WebSocket upgrades are not counted (a stream is not a request in flight; open streams
 * have their own cap).
 *
 * <p>A loop whose own CPU is the bottleneck has few requests in flight (each is answered fast) yet falls
 * behind; so each loop also measures its thread's utilization every 100 ms and, at
 * {@code gateway.max_event_loop_utilization} (0.95), caps the rate of everything but orders and cancels
 * ({@link LoopAdmission}), checked by {@link EarlyShedFilter}.
 *
 * <p>Runs first on each route, and {@link EarlyShedFilter} peeks at the same bound before tracing and
 * routing, so most excess is shed there, cheaper. Called on the event loop; never blocks. The bound is per loop because
 * a loop is the unit that saturates: one busy loop must not shed for an idle one.
 */
public final class OverloadFilter implements GatewayFilter {
    /** Before metering: a shed request is not metered, authenticated or limited. */
    public static final int ORDER_OVERLOAD = 50;
    /** Seconds a shed caller is told to wait: overload passes in moments, and 1 is the smallest whole value. */
    public static final String RETRY_AFTER_SECONDS = "1";
    /** How often a loop measures its utilization ({@link LoopAdmission}'s window). */
    public static final long UTILIZATION_WINDOW_MILLIS = 100;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int max;
    private final int reserved;
    private final OverloadLimits limits;
    private final boolean measureUtilization;
    /** One state per event loop thread: few entries, read once per request. */
    private final ConcurrentHashMap<Thread, Loop> perLoop = new ConcurrentHashMap<>();

    /** One event loop's bound in flight and, when on, its utilization-driven admission (touched on that loop only). */
    static final class Loop {
        final InFlightLimit limit;
        final LoopAdmission admission;

        Loop(InFlightLimit limit, LoopAdmission admission) {
            this.limit = limit;
            this.admission = admission;
        }

        /** Whether a request of this priority may go on now (it is counted as shed when not). */
        boolean admits(boolean priority) {
            if (!limit.admits(priority)) {
                limit.countShed();
                return false;
            }
            return admission == null || admission.admit(priority, System.nanoTime());
        }
    }

    public OverloadFilter(OverloadLimits limits) {
        this.limits = limits;
        this.max = limits.maxInFlightPerEventLoop();
        this.reserved = limits.inFlightReservedForOrders();
        this.measureUtilization = limits.utilizationBounded() && THREADS.isCurrentThreadCpuTimeSupported();
    }

    @Override
    public int order() {
        return ORDER_OVERLOAD;
    }

    @Override
    public void handle(RoutingContext ctx) {
        RoutePolicy route = ctx.get(RequestKeys.ROUTE);
        if (route != null && route.websocket()) {
            ctx.next();
            return;
        }
        InFlightLimit limit = loopLimit();
        if (!limit.tryAcquire(route != null && InFlightLimit.priority(route.routeClass()))) {
            shed(ctx, "the gateway is overloaded; retry after the time in Retry-After");
            return;
        }
        ctx.addEndHandler(done -> limit.release());
        ctx.next();
    }

    /** Answers 503 -9004 with {@code Retry-After}; also used by the proxy when an upstream pool is at its bound. */
    public static void shed(RoutingContext ctx, String message) {
        ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        HttpErrors.send(ctx, GatewayError.OVERLOADED, message);
    }

    /** This event loop's bound (created on its first request). */
    InFlightLimit loopLimit() {
        return loop().limit;
    }

    /** This event loop's state, created on its first request, with its utilization sampled on that loop. */
    Loop loop() {
        Thread t = Thread.currentThread();
        Loop loop = perLoop.get(t);
        return loop != null ? loop : perLoop.computeIfAbsent(t, k -> newLoop());
    }

    private Loop newLoop() {
        Context context = Vertx.currentContext();
        LoopAdmission admission = null;
        if (measureUtilization && context != null && context.isEventLoopContext()) {
            double high = limits.maxEventLoopUtilization();
            LoopAdmission a = new LoopAdmission(high, high - OverloadLimits.UTILIZATION_HYSTERESIS,
                    UTILIZATION_WINDOW_MILLIS * 1_000_000);
            a.sample(System.nanoTime(), THREADS.getCurrentThreadCpuTime());
            // On this loop's own context: the timer reads the CPU time of the thread it runs on.
            context.owner().setPeriodic(UTILIZATION_WINDOW_MILLIS,
                    id -> a.sample(System.nanoTime(), THREADS.getCurrentThreadCpuTime()));
            admission = a;
        }
        return new Loop(new InFlightLimit(max, reserved), admission);
    }

    /** Requests shed by every event loop so far (for {@code /metrics}): at the bound in flight, or by utilization. */
    public long shed() {
        long n = 0;
        for (Loop l : perLoop.values()) {
            n += l.limit.shed() + (l.admission == null ? 0 : l.admission.refused());
        }
        return n;
    }

    /** Requests in flight over every event loop now. */
    public int inFlight() {
        int n = 0;
        for (Loop l : perLoop.values()) {
            n += l.limit.inFlight();
        }
        return n;
    }

    /**
     * Per event loop, for {@code /metrics}: its utilization over the last window and its admission cap
     * (requests a second; -1 when not capped), labelled by the loop's thread name.
     */
    public void appendLoopMetrics(StringBuilder b) {
        b.append("# HELP opentrade_gateway_event_loop_utilization Share of the last 100 ms an event loop's thread was on CPU.\n");
        b.append("# TYPE opentrade_gateway_event_loop_utilization gauge\n");
        StringBuilder caps = new StringBuilder();
        perLoop.forEach((thread, loop) -> {
            if (loop.admission != null) {
                String label = "{loop=\"" + RequestStats.escape(thread.getName()) + "\"} ";
                b.append("opentrade_gateway_event_loop_utilization").append(label)
                        .append(String.format(java.util.Locale.ROOT, "%.3f", loop.admission.utilization())).append('\n');
                double cap = loop.admission.cap();
                caps.append("opentrade_gateway_event_loop_admission_cap").append(label)
                        .append(cap == Double.POSITIVE_INFINITY ? "-1" : String.valueOf(Math.round(cap))).append('\n');
            }
        });
        b.append("# HELP opentrade_gateway_event_loop_admission_cap Requests a second (but orders and cancels) an"
                + " event loop admits while it is saturated; -1 when not capped.\n");
        b.append("# TYPE opentrade_gateway_event_loop_admission_cap gauge\n");
        b.append(caps);
    }
}
