package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.InFlightLimit;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Sheds load per event loop: each loop admits at most {@code gateway.max_in_flight_per_event_loop}
 * requests at once (from here until their answer ends; a proxied request until its upstream request
 * has, see {@link #keepSlot}), of which
 * {@code gateway.in_flight_reserved_for_orders} only orders and cancels may use. Past that a request
 * is answered at once with 503 -9004 and {@code Retry-After}, before metering, authentication or any
 * upstream call, so refusing it costs far less than serving it and what is admitted keeps its
 * latency. WebSocket upgrades are not counted (a stream is not a request in flight; open streams
 * have their own cap).
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

    private final int max;
    private final int reserved;
    /** One bound per event loop thread: few entries, read once per request. */
    private final ConcurrentHashMap<Thread, InFlightLimit> perLoop = new ConcurrentHashMap<>();

    public OverloadFilter(OverloadLimits limits) {
        this.max = limits.maxInFlightPerEventLoop();
        this.reserved = limits.inFlightReservedForOrders();
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
        Slot slot = new Slot(limit);
        ctx.put(RequestKeys.LOOP_SLOT, slot);
        ctx.addEndHandler(done -> {
            if (!slot.kept) {
                slot.release();
            }
        });
        ctx.next();
    }

    /**
     * Hands this request's loop slot to the caller, who runs the returned action exactly once when the
     * work the slot stands for has really ended: the proxy, once its upstream request has, which may be
     * after the caller hung up (an end handler runs when the answer ends or the connection closes).
     * Without a slot (a route without this filter, or a WebSocket upgrade) the action does nothing; a
     * slot already given back at a hang-up is not given back twice. Called on the request's event loop.
     */
    public static Runnable keepSlot(RoutingContext ctx) {
        Slot slot = ctx.get(RequestKeys.LOOP_SLOT);
        if (slot == null) {
            return () -> { };
        }
        slot.kept = true;
        return slot::release;
    }

    /** Answers 503 -9004 with {@code Retry-After}; also used by the proxy when an upstream pool is at its bound. */
    public static void shed(RoutingContext ctx, String message) {
        ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        HttpErrors.send(ctx, GatewayError.OVERLOADED, message);
    }

    /** This event loop's bound (created on its first request). */
    InFlightLimit loopLimit() {
        Thread t = Thread.currentThread();
        InFlightLimit limit = perLoop.get(t);
        return limit != null ? limit : perLoop.computeIfAbsent(t, k -> new InFlightLimit(max, reserved));
    }

    /** One admitted request's slot: confined to its event loop, given back once. */
    private static final class Slot {
        private final InFlightLimit limit;
        /** Taken over by {@link #keepSlot}: the end handler leaves it to the new holder. */
        private boolean kept;
        private boolean released;

        Slot(InFlightLimit limit) {
            this.limit = limit;
        }

        void release() {
            if (!released) {
                released = true;
                limit.release();
            }
        }
    }

    /** Requests shed by every event loop so far (for {@code /metrics}). */
    public long shed() {
        long n = 0;
        for (InFlightLimit l : perLoop.values()) {
            n += l.shed();
        }
        return n;
    }

    /** Requests in flight over every event loop now. */
    public int inFlight() {
        int n = 0;
        for (InFlightLimit l : perLoop.values()) {
            n += l.inFlight();
        }
        return n;
    }
}
