package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;
import org.opentrade.common.web.AnswerEnd;
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

    /**
     * Counts the request when its answer ends, for the principal it carries by then: a stream as it opens (101)
     * or as its refusal's status when a socket upgraded before authentication is refused ({@link AnswerEnd}: an
     * upgraded request's answer never ends); 499 when the caller hung up first.
     */
    @Override
    public void handle(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        long minute = nowMillis.getAsLong() / 60_000;
        AnswerEnd.on(ctx, (status, completed) -> {
            Principal p = ctx.get(RequestKeys.PRINCIPAL);
            String meterId = p != null ? p.meterId() : ctx.get(RequestKeys.REFUSED_KEY);
            if (meterId == null) {
                return;
            }
            RoutePolicy route = ctx.get(RequestKeys.ROUTE);
            String name = route != null ? route.name() : ctx.request().method().name() + " " + ctx.currentRoute().getPath();
            meter.record(new UsageSample(meterId, name, minute, completed ? status : 499,
                    (System.nanoTime() - startNanos) / 1000));
        });
        ctx.next();
    }
}
