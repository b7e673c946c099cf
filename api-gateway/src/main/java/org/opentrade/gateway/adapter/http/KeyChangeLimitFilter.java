package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RateLimit;

/**
 * Charges key creations, rotations, revocations and plan changes ({@link GatewayRoute#keyChange}) to the developer's
 * key-change budget, on top of the call's weight in the session's request budget, so one account
 * cannot churn keys (each change a registry write) faster than its budgets allow. Refused: 429 -3001
 * with {@code Retry-After}. Fails open like other platform routes.
 */
public final class KeyChangeLimitFilter implements GatewayFilter {
    private final PolicyRateLimiter limiter;
    private final RateLimit changesPerDeveloper;

    public KeyChangeLimitFilter(PolicyRateLimiter limiter, RateLimit changesPerDeveloper) {
        this.limiter = limiter;
        this.changesPerDeveloper = changesPerDeveloper;
    }

    @Override
    public int order() {
        return ORDER_KEY_CHANGE_LIMIT;
    }

    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.keyChange();
    }

    @Override
    public void handle(RoutingContext ctx) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        if (p == null) {
            ctx.next();
            return;
        }
        PerAddressLimitFilter.charge(ctx, limiter, "kc:" + p.developerId(), changesPerDeveloper, "at most "
                + changesPerDeveloper.limit() + " key changes per minute per developer; "
                + "retry after the time in Retry-After");
    }
}
