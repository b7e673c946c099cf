package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opentrade.common.web.AllowedMethods;
import org.opentrade.common.web.JsonMediaType;
import org.opentrade.common.web.QueryParams;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Puts the gateway on a router as one ordered filter chain ({@link GatewayFilter}) serving every
 * route: the filters ordered below {@link GatewayFilter#ORDER_ROUTING} (tracing, the request guard) on
 * every request, then per route its policy, its body, the filters that apply to it in order, and
 * its handler; failures and Vert.x Web's own refusals answered by {@link HttpErrors}.
 */
public final class GatewayRouter {
    /**
     * What the router needs; each part is built by the app from config.
     *
     * @param filters the whole chain, in any order (sorted by {@link GatewayFilter#order})
     * @param routes  every route, the gateway's own and the proxied ones; catch-alls (a null method)
     *                after the routes they cover
     */
    public record Parts(List<GatewayFilter> filters, List<GatewayRoute> routes, long maxBodyBytes) {
    }

    private GatewayRouter() {
    }

    /** Mounts everything on {@code router}; call before any catch-all routes the host adds. */
    public static void mount(Router router, Parts parts) {
        List<GatewayFilter> filters = new ArrayList<>(parts.filters());
        filters.sort(Comparator.comparingInt(GatewayFilter::order));
        for (GatewayFilter f : filters) {
            if (f.order() < GatewayFilter.ORDER_ROUTING) {
                router.route().order(f.order()).handler(f::handle);
            }
        }
        BodyHandler body = BodyHandler.create(false).setBodyLimit(parts.maxBodyBytes()).setHandleFileUploads(false);
        for (GatewayRoute r : parts.routes()) {
            RoutePolicy policy = r.policy();
            Route route = policy.method() == null ? router.route(policy.template())
                    : router.route(HttpMethod.valueOf(policy.method()), policy.template());
            if ("GET".equals(policy.method()) && !r.websocket()) {
                // Every GET resource answers HEAD too (RFC 9110 §9.3.2: uptime monitors use it), with the same
                // authentication, limits and metering; the answer goes without its body.
                route.method(HttpMethod.HEAD);
            }
            route.handler(ctx -> {
                if (r.websocket()) {
                    // Held before any filter goes asynchronous (a store lookup, the shared limiter):
                    // an upgrade request whose end was already read can no longer be upgraded.
                    ctx.request().pause();
                }
                ctx.put(RequestKeys.GATEWAY_ROUTE, r);
                ctx.put(RequestKeys.ROUTE, policy);
                ctx.next();
            });
            if (!r.websocket() && policy.method() != null) {
                // Vert.x Web wants the body handler before user handlers. Most API calls are GETs
                // without a body: they skip it (and its buffer and extra callback) altogether.
                // A body comes only as application/json (415 -1006 otherwise), checked before it is read and
                // before any filter: a refused request is charged to no budget (the per-address log-in and sign-up
                // limits above all), reaches no upstream, and a form or multipart body is never decoded.
                route.handler(ctx -> {
                    if (!JsonMediaType.mayHaveBody(ctx.request())) {
                        ctx.next();
                        return;
                    }
                    String refusal = JsonMediaType.refusal(ctx.request());
                    if (refusal != null) {
                        HttpErrors.send(ctx, GatewayError.UNSUPPORTED_MEDIA_TYPE, refusal);
                    } else {
                        body.handle(ctx);
                    }
                });
            }
            for (GatewayFilter f : filters) {
                if (f.order() >= GatewayFilter.ORDER_ROUTING && f.appliesTo(r)) {
                    route.handler(f::handle);
                }
            }
            // A catch-all comes after the routes it covers, which did not match: it answers 405 or 404 as
            // the router would have (the router itself would say 404, having matched the catch-all).
            if (policy.method() != null && r.query() != null) {
                route.handler(ctx -> {
                    String refusal = QueryParams.refusal(ctx, r.query());
                    if (refusal != null) {
                        HttpErrors.send(ctx, GatewayError.INVALID_PARAMETER, refusal);
                    } else {
                        ctx.next();
                    }
                });
            }
            route.handler(policy.method() == null ? ctx -> unrouted(router, ctx) : r.handler());
        }

        router.route().failureHandler(HttpErrors::failure);
        router.errorHandler(404, ctx -> unrouted(router, ctx));
        router.errorHandler(405, ctx -> unrouted(router, ctx));
        router.errorHandler(413, ctx -> HttpErrors.send(ctx, GatewayError.BODY_TOO_LARGE,
                "the request body is larger than " + parts.maxBodyBytes() + " bytes"));
        router.errorHandler(400, ctx -> HttpErrors.send(ctx, GatewayError.MALFORMED_REQUEST, "malformed request"));
        router.errorHandler(500, ctx -> HttpErrors.fail(ctx, ctx.failure() != null ? ctx.failure()
                : new IllegalStateException("unknown failure")));
    }

    /** 405 with {@code Allow} when some route has the path with another method, else 404. */
    private static void unrouted(Router router, RoutingContext ctx) {
        String allow = AllowedMethods.of(router, ctx.request().path());
        if (allow.isEmpty()) {
            HttpErrors.send(ctx, GatewayError.NOT_FOUND,
                    "no such endpoint: " + ctx.request().method() + " " + printable(ctx.request().path()));
            return;
        }
        ctx.response().putHeader(HttpHeaders.ALLOW, allow);
        HttpErrors.send(ctx, GatewayError.METHOD_NOT_ALLOWED, "method " + ctx.request().method()
                + " is not allowed on " + printable(ctx.request().path()) + "; allowed: " + allow);
    }

    /** A path as it may appear in a message: bounded, control characters replaced. */
    static String printable(String path) {
        String p = path == null ? "" : path;
        if (p.length() > 200) {
            p = p.substring(0, 200) + "…";
        }
        return p.replaceAll("\\p{Cntrl}", "?");
    }

}
