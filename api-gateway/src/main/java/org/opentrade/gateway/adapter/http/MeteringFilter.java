package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.UsageSample;
import org.opentrade.gateway.port.UsageMeter;

/**
 * Counts every call of an identified caller when its response ends (or its connection closes),
 * with status and latency, including calls refused after authentication (scope, limits). Calls
 * whose caller could not be identified are not metered: they belong to no key.
 */
public final class MeteringFilter implements GatewayFilter {
    private final UsageMeter meter;
    private final LongSupplier nowMillis;

    public MeteringFilter(UsageMeter meter, LongSupplier nowMillis) {
        this.meter = meter;
        this.nowMillis = nowMillis;
    }

    @Override
    public int order() {
        return ORDER_METERING;
    }

    /** Only routes whose callers are identified: a call without a principal belongs to no key. */
    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.access().identifiesCaller();
    }

    /** RoutingContext key of the request's once-only recorder ({@link #upgraded}). */
    private static final String RECORD = "opentrade.metering.record";

    /**
     * Counts the request when its answer ends, for the principal it carries by then; a stream when the
     * caller's socket is upgraded ({@link #upgraded}): an upgraded request's answer never ends.
     */
    @Override
    public void handle(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        long minute = nowMillis.getAsLong() / 60_000;
        boolean[] recorded = {false};
        java.util.function.IntConsumer record = status -> {
            Principal p = ctx.get(RequestKeys.PRINCIPAL);
            String meterId = p != null ? p.meterId() : ctx.get(RequestKeys.REFUSED_KEY);
            if (recorded[0] || meterId == null) {
                return;
            }
            recorded[0] = true;
            RoutePolicy route = ctx.get(RequestKeys.ROUTE);
            String name = route != null ? route.name() : ctx.request().method().name() + " " + ctx.currentRoute().getPath();
            meter.record(new UsageSample(meterId, name, minute, status, (System.nanoTime() - startNanos) / 1000));
        };
        ctx.put(RECORD, record);
        ctx.addEndHandler(v -> record.accept(ctx.response().closed() && !ctx.response().ended() ? 499
                : ctx.response().getStatusCode()));
        ctx.next();
    }

    /** Counts a stream's opening as a 101 once the caller's socket is upgraded (event loop; once per request). */
    public static void upgraded(RoutingContext ctx) {
        record(ctx, 101);
    }

    /**
     * Counts a request with {@code status} now: one upgraded before it was authenticated (first-frame auth)
     * and then refused is answered by an error frame and a close, and its answer never ends either.
     */
    static void record(RoutingContext ctx, int status) {
        java.util.function.IntConsumer record = ctx.get(RECORD);
        if (record != null) {
            record.accept(status);
        }
    }
}
