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

    /** Counts the request when its answer ends, for the principal it carries by then. */
    @Override
    public void handle(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        long minute = nowMillis.getAsLong() / 60_000;
        ctx.addEndHandler(v -> {
            Principal p = ctx.get(RequestKeys.PRINCIPAL);
            if (p == null) {
                return;
            }
            RoutePolicy route = ctx.get(RequestKeys.ROUTE);
            String name = route != null ? route.name() : ctx.request().method().name() + " " + ctx.currentRoute().getPath();
            int status = ctx.response().closed() && !ctx.response().ended() ? 499 : ctx.response().getStatusCode();
            meter.record(new UsageSample(p.meterId(), name, minute, status, (System.nanoTime() - startNanos) / 1000));
        });
        ctx.next();
    }
}
