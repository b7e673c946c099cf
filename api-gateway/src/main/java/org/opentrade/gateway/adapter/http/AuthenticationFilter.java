package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BiConsumer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.Principal;

/**
 * Authenticates the caller as the route's {@link Access} asks: an API key or a session, a session
 * only, or the administrator's {@code X-Admin-Token} (compared in constant time); public routes pass.
 * Leaves the {@link Principal} under {@link RequestKeys#PRINCIPAL} and tells {@code onAuthenticated}
 * (tracing makes the trace the developer's). A caller whose credential verified but whose address is
 * not allowed (-2007) is shown its budget ({@code RateLimit-*}) like every other identified caller.
 */
public final class AuthenticationFilter implements GatewayFilter {
    private final Authenticator authenticator;
    private final BiConsumer<RoutingContext, Principal> onAuthenticated;
    private final PolicyRateLimiter limiter;
    private final byte[] adminToken;

    /**
     * @param adminToken the administrators' {@code X-Admin-Token}, at least 16 characters
     */
    public AuthenticationFilter(Authenticator authenticator, BiConsumer<RoutingContext, Principal> onAuthenticated,
                                PolicyRateLimiter limiter, String adminToken) {
        if (adminToken == null || adminToken.length() < 16) {
            throw new IllegalArgumentException("the admin token must be at least 16 characters");
        }
        this.authenticator = authenticator;
        this.onAuthenticated = onAuthenticated;
        this.limiter = limiter;
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int order() {
        return ORDER_AUTHENTICATION;
    }

    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.access() != Access.PUBLIC;
    }

    @Override
    public void handle(RoutingContext ctx) {
        GatewayRoute route = ctx.get(RequestKeys.GATEWAY_ROUTE);
        Access access = route == null ? Access.KEY_OR_SESSION : route.access();
        switch (access) {
            case PUBLIC -> ctx.next();
            case ADMIN -> admin(ctx);
            case SESSION -> authenticated(ctx, authenticator.session(ctx));
            case KEY_OR_SESSION -> authenticated(ctx, authenticator.any(ctx));
        }
    }

    private void admin(RoutingContext ctx) {
        String given = ctx.request().getHeader("X-Admin-Token");
        if (given == null || !MessageDigest.isEqual(adminToken, given.getBytes(StandardCharsets.UTF_8))) {
            Async.fail(ctx, new Rejection(GatewayError.ADMIN_REQUIRED));
            return;
        }
        ctx.next();
    }

    private void authenticated(RoutingContext ctx, Future<Principal> principal) {
        principal.onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.put(RequestKeys.PRINCIPAL, ar.result());
                onAuthenticated.accept(ctx, ar.result());
                ctx.next();
                return;
            }
            Principal refused = ctx.get(RequestKeys.REFUSED_PRINCIPAL);
            if (refused == null) {
                Async.fail(ctx, ar.cause());
            } else {
                RateLimitFilter.showBudget(ctx, limiter, refused).onComplete(v -> Async.fail(ctx, ar.cause()));
            }
        });
    }
}
