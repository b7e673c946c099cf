package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Refuses a key that lacks the route's scope (-2006), naming the scope it needs. The refusal costs
 * nothing but carries the caller's {@code RateLimit-*} headers, like every authenticated answer.
 */
public final class ScopeFilter implements GatewayFilter {
    private final PolicyRateLimiter limiter;

    public ScopeFilter(PolicyRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public int order() {
        return ORDER_SCOPE;
    }

    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.policy().scope() != null;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        RoutePolicy route = ctx.get(RequestKeys.ROUTE);
        if (p != null && route != null && route.scope() != null && !p.has(route.scope())) {
            RateLimitFilter.showBudget(ctx, limiter, p).onComplete(v -> Async.fail(ctx, new Rejection(
                    GatewayError.SCOPE_MISSING, "this API key lacks the '" + route.scope().wireName() + "' scope that "
                    + route.name() + " needs")));
            return;
        }
        ctx.next();
    }
}
