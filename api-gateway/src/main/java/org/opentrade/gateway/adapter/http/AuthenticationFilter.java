package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import org.opentrade.gateway.domain.Principal;

/**
 * Authenticates the caller (key, signature or session) and leaves the {@link Principal} under
 * {@link RequestKeys#PRINCIPAL}; tells {@code onAuthenticated} (tracing tags the span's owner).
 */
public final class AuthenticationFilter implements GatewayFilter {
    private final Authenticator authenticator;
    private final BiConsumer<RoutingContext, Principal> onAuthenticated;

    public AuthenticationFilter(Authenticator authenticator, BiConsumer<RoutingContext, Principal> onAuthenticated) {
        this.authenticator = authenticator;
        this.onAuthenticated = onAuthenticated;
    }

    @Override
    public int order() {
        return ORDER_AUTHENTICATION;
    }

    @Override
    public void handle(RoutingContext ctx) {
        authenticator.any(ctx).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.put(RequestKeys.PRINCIPAL, ar.result());
                onAuthenticated.accept(ctx, ar.result());
                ctx.next();
            } else {
                Async.fail(ctx, ar.cause());
            }
        });
    }
}
