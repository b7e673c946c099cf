package org.opentrade.gateway.adapter.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * One concern of the request path (tracing, the host check, the request guard, metering, per-address limits,
 * authentication, scope, limits), as in Spring Cloud Gateway: one ordered list of filters serves
 * every {@code /v1} route, the gateway's own (sign-up, sessions, keys, usage, admin) and the proxied
 * ones alike. Filters run in ascending {@link #order}; each either answers (by failing the request
 * with a {@link Rejection}, answered in one place, {@link HttpErrors}) or calls {@code ctx.next()}.
 *
 * <p>Filters ordered below {@link #ORDER_ROUTING} run for every request before it is routed (so an
 * unknown path is traced and guarded too); the others are put on each route they
 * {@link #appliesTo}, in order, before its handler, so a route carries only the filters it needs.
 *
 * <p>Called on the event loop; never blocks.
 */
public interface GatewayFilter {
    int ORDER_TRACING = -1000;
    /** {@link HostGuard}: after tracing (its refusal carries {@code X-Trace-Id}), before anything reads the request. */
    int ORDER_HOST_GUARD = -950;
    int ORDER_REQUEST_GUARD = -900;
    /** Filters below this run before routing, on every request; those above on each route. */
    int ORDER_ROUTING = 0;
    int ORDER_METERING = 100;
    int ORDER_PER_ADDRESS_LIMIT = 150;
    int ORDER_AUTHENTICATION = 200;
    int ORDER_SCOPE = 300;
    int ORDER_RATE_LIMIT = 400;
    int ORDER_KEY_CHANGE_LIMIT = 450;

    int order();

    void handle(RoutingContext ctx);

    /** Whether this filter has anything to do on {@code route}; decided once, when routes are mounted. */
    default boolean appliesTo(GatewayRoute route) {
        return true;
    }

    /** A filter made of a handler, e.g. the host's tracing handler at {@link #ORDER_TRACING}. */
    static GatewayFilter of(int order, Handler<RoutingContext> handler) {
        return new GatewayFilter() {
            @Override
            public int order() {
                return order;
            }

            @Override
            public void handle(RoutingContext ctx) {
                handler.handle(ctx);
            }
        };
    }
}
