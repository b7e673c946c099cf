package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.opentrade.common.web.QueryParams;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * One route of the gateway as the filter chain sees it: what it is ({@link RoutePolicy}: method,
 * template, scope, weight, limit class), who may call it, which extra budgets it charges, and the
 * handler at the end of the chain (the gateway's own endpoint, or the upstream proxy).
 *
 * @param policy       method, template, scope, weight and limit class; a {@code null} method makes a
 *                     catch-all ({@link #catchAll})
 * @param access       the credential the route needs
 * @param addressLimit the per-client-address budget the route charges ({@code signup}, {@code login}),
 *                     or null
 * @param keyChange    whether a call also charges the developer's key-change budget
 * @param handler      the end of the chain
 * @param query        the query parameters the gateway's own endpoint takes (any other, or one given twice, is
 *                     refused with 400 -1002 before its handler: {@link QueryParams}); null for a routed API
 *                     route, whose service checks its own
 */
public record GatewayRoute(RoutePolicy policy, Access access, String addressLimit, boolean keyChange,
                           Handler<RoutingContext> handler, List<String> query) {

    public GatewayRoute {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
        query = query == null ? null : List.copyOf(query);
    }

    /** A routed API route: any credential, its policy's scope and weight, served by {@code upstream}. */
    public static GatewayRoute api(RoutePolicy policy, Handler<RoutingContext> upstream) {
        return new GatewayRoute(policy, Access.KEY_OR_SESSION, null, false, upstream, null);
    }

    /**
     * One of the gateway's own endpoints, limited as {@link RouteClass#PLATFORM}: {@code weight} units
     * of the caller's request budget (0: the budget is shown, not charged). It takes no query parameters
     * unless {@link #withQuery} names some.
     */
    public static GatewayRoute platform(String method, String template, Access access, int weight,
                                        Handler<RoutingContext> handler) {
        return new GatewayRoute(new RoutePolicy(method, template, null, null, weight, RouteClass.PLATFORM, false),
                access, null, false, handler, List.of());
    }

    /**
     * Every other path under {@code template} (e.g. {@code /v1/admin/*}): the chain runs (so the
     * credential is asked for before anything is revealed), then 405 or 404. Put it after the routes it
     * covers.
     */
    public static GatewayRoute catchAll(String template, Access access) {
        return platform(null, template, access, 0, RoutingContext::next);
    }

    public GatewayRoute withAddressLimit(String bucket) {
        return new GatewayRoute(policy, access, bucket, keyChange, handler, query);
    }

    public GatewayRoute withKeyChange() {
        return new GatewayRoute(policy, access, addressLimit, true, handler, query);
    }

    /** This own endpoint takes the query parameters {@code names} (each at most once). */
    public GatewayRoute withQuery(String... names) {
        return new GatewayRoute(policy, access, addressLimit, keyChange, handler, List.of(names));
    }

    public boolean websocket() {
        return policy.websocket();
    }

    /**
     * A handler that answers {@code status} with the JSON object {@code action} completes with, and
     * fails the request (answered by {@link HttpErrors}) when it fails or throws a {@link Rejection}. The answer
     * is never to be stored by a cache on the way: the gateway's own answers carry session tokens, API secrets,
     * reset tokens and account data (as RFC 6749 asks of token answers).
     */
    public static Handler<RoutingContext> replying(int status, Function<RoutingContext, Future<?>> action) {
        return ctx -> {
            Future<?> result;
            try {
                result = action.apply(ctx);
            } catch (Rejection r) {
                result = Future.failedFuture(r);
            }
            result.onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                } else {
                    ctx.response().putHeader("Cache-Control", "no-store");
                    JsonBodies.send(ctx, status, ar.result());
                }
            });
        };
    }
}
