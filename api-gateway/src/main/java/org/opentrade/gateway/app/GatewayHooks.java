package org.opentrade.gateway.app;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.adapter.http.tracing.TraceQueryHandler;
import org.opentrade.gateway.adapter.http.tracing.ZipkinTraceSource;
import org.opentrade.gateway.adapter.http.tracing.TracingFilter;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RoutePolicy;

/** The hooks of a traced gateway: OpenTelemetry spans per request, traces served to their owner. */
public final class GatewayHooks {

    private GatewayHooks() {
    }

    public static ApiGateway.Hooks traced(Tracing tracing, Function<RoutePolicy, Handler<RoutingContext>> upstream) {
        return traced(tracing, upstream, null);
    }

    /** With {@code zipkin} (null: none), traces are read from Zipkin too (distributed mode). */
    public static ApiGateway.Hooks traced(Tracing tracing, Function<RoutePolicy, Handler<RoutingContext>> upstream,
                                          ZipkinTraceSource zipkin) {
        return new ApiGateway.Hooks(new TracingFilter(tracing),
                (ctx, principal) -> {
                    TracingFilter.tagDeveloper(ctx, principal.developerId());
                    RoutePolicy route = ctx.get(RequestKeys.ROUTE);
                    if (route != null) {
                        TracingFilter.tagRoute(ctx, route.template());
                    }
                },
                new TraceQueryHandler(tracing.spanStore(), ctx -> {
                    Principal p = ctx.get(RequestKeys.PRINCIPAL);
                    return p == null ? null : p.developerId();
                }, zipkin),
                upstream);
    }
}
