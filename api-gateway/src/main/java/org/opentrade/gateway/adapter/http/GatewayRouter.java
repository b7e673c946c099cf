package org.opentrade.gateway.adapter.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Puts the gateway's routes on a router: the guard and tracing first, then the platform endpoints
 * (developers, sessions, keys, admin), then every routed API route as an ordered filter chain ending
 * in its upstream handler, and error handlers that answer with the error model.
 */
public final class GatewayRouter {
    /** What the router needs; each part is built by the app from config. */
    public record Parts(Handler<RoutingContext> tracing, List<GatewayFilter> filters, DeveloperRoutes developers,
                        KeyRoutes keys, UsageRoutes usage, AdminRoutes admin, Handler<RoutingContext> traces,
                        List<RoutePolicy> routes, Function<RoutePolicy, Handler<RoutingContext>> upstream,
                        long maxBodyBytes) {
    }

    private GatewayRouter() {
    }

    /** Mounts everything on {@code router}; call before any catch-all routes the host adds. */
    public static void mount(Router router, Parts parts) {
        router.route().order(-1000).handler(parts.tracing());
        router.route().order(-900).handler(RequestGuard::handle);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(parts.maxBodyBytes()).setHandleFileUploads(false);
        router.route("/v1/developers").handler(body);
        router.route("/v1/sessions").handler(body);
        router.route("/v1/keys*").handler(body);
        router.route("/v1/admin/*").handler(body);
        parts.developers().mount(router);
        parts.keys().mount(router);
        parts.admin().mount(router);

        List<GatewayFilter> filters = new ArrayList<>(parts.filters());
        filters.sort(Comparator.comparingInt(GatewayFilter::order));
        platform(router, filters, "/v1/usage", parts.usage()::usage);
        platform(router, filters, "/v1/limits", parts.usage()::limits);
        platform(router, filters, "/v1/traces/:trace_id", parts.traces());

        for (RoutePolicy policy : parts.routes()) {
            Route route = router.route(HttpMethod.valueOf(policy.method()), policy.template());
            if (!policy.websocket()) {
                // Vert.x Web wants the body handler before user handlers. Most API calls are GETs
                // without a body: they skip it (and its buffer and extra callback) altogether.
                route.handler(ctx -> {
                    if (mayHaveBody(ctx.request())) {
                        body.handle(ctx);
                    } else {
                        ctx.next();
                    }
                });
            }
            route.handler(ctx -> {
                if (policy.websocket()) {
                    // Held before any filter goes asynchronous (a store lookup, the shared limiter):
                    // an upgrade request whose end was already read can no longer be upgraded.
                    ctx.request().pause();
                }
                ctx.put(RequestKeys.ROUTE, policy);
                ctx.next();
            });
            for (GatewayFilter f : filters) {
                route.handler(f::handle);
            }
            route.handler(parts.upstream().apply(policy));
        }

        router.route().failureHandler(GatewayRouter::failure);
        router.errorHandler(404, ctx -> HttpErrors.send(ctx, GatewayError.NOT_FOUND,
                "no such endpoint: " + ctx.request().method() + " " + printable(ctx.request().path())));
        router.errorHandler(405, ctx -> {
            String allow = allowedMethods(router, ctx.request().path());
            if (!allow.isEmpty()) {
                ctx.response().putHeader(HttpHeaders.ALLOW, allow);
            }
            HttpErrors.send(ctx, GatewayError.METHOD_NOT_ALLOWED, "method " + ctx.request().method()
                    + " is not allowed on " + printable(ctx.request().path()) + (allow.isEmpty() ? "" : "; allowed: " + allow));
        });
        router.errorHandler(413, ctx -> HttpErrors.send(ctx, GatewayError.BODY_TOO_LARGE,
                "the request body is larger than " + parts.maxBodyBytes() + " bytes"));
        router.errorHandler(400, ctx -> HttpErrors.send(ctx, GatewayError.MALFORMED_REQUEST, "malformed request"));
        router.errorHandler(500, ctx -> Async.fail(ctx, ctx.failure() != null ? ctx.failure()
                : new IllegalStateException("unknown failure")));
    }

    /** Whether a body may follow the headers: a non-zero Content-Length, or any Transfer-Encoding. */
    static boolean mayHaveBody(HttpServerRequest request) {
        MultiMap headers = request.headers();
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.equals("0")) || headers.contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static void platform(Router router, List<GatewayFilter> filters, String path, Handler<RoutingContext> end) {
        RoutePolicy policy = new RoutePolicy("GET", path, null, null, 1, RouteClass.PLATFORM, false);
        Route route = router.get(path).handler(ctx -> {
            ctx.put(RequestKeys.ROUTE, policy);
            ctx.next();
        });
        for (GatewayFilter f : filters) {
            route.handler(f::handle);
        }
        route.handler(end);
    }

    /**
     * A handler threw, a BodyHandler failed, or the request could not be decoded: answer with the
     * error model, never a stack trace. Failures that carry a 4xx status, and failures while the
     * request was still being read (broken chunking, missing Host), are the client's: 400 family.
     * Anything else is ours: logged once with the trace id and answered -9000.
     */
    private static void failure(RoutingContext ctx) {
        Throwable err = ctx.failure();
        int status = ctx.statusCode();
        if (err instanceof io.vertx.ext.web.handler.HttpException he) {
            status = he.getStatusCode();
        }
        if (err == null || (status >= 400 && status < 500)) {
            HttpErrors.send(ctx, forStatus(status));
            return;
        }
        if (err instanceof Rejection) {
            Async.fail(ctx, err);
            return;
        }
        if (!ctx.request().isEnded()) {
            HttpErrors.sendAndClose(ctx.request(), GatewayError.MALFORMED_REQUEST,
                    "the request could not be read: malformed HTTP");
            return;
        }
        Async.fail(ctx, err);
    }

    private static GatewayError forStatus(int status) {
        return switch (status) {
            case 413 -> GatewayError.BODY_TOO_LARGE;
            case 404 -> GatewayError.NOT_FOUND;
            case 405 -> GatewayError.METHOD_NOT_ALLOWED;
            case 415 -> GatewayError.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> GatewayError.BAD_HEADER;
            case 401 -> GatewayError.CREDENTIALS_MISSING;
            case 400 -> GatewayError.MALFORMED_REQUEST;
            default -> status >= 400 && status < 500 ? GatewayError.INVALID_PARAMETER : GatewayError.INTERNAL;
        };
    }

    /**
     * The methods of the routes whose path template matches {@code path}, for {@code Allow} on a 405
     * (RFC 9110 §15.5.6): read from the router, so the answer follows whatever is mounted. Routes
     * for every method (filters, body handlers) and regular-expression routes are not counted. Walks
     * all routes: a 405 is rare, and this keeps the routes the one record of what a path supports.
     */
    static String allowedMethods(Router router, String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            Set<HttpMethod> ms = route.methods();
            String template = route.getPath();
            if (template != null && ms != null && !ms.isEmpty() && templateMatches(template, path)) {
                ms.forEach(m -> methods.add(m.name()));
            }
        }
        return String.join(", ", methods);
    }

    /** Whether {@code path} fits {@code template}: literal segments equal, {@code :name} any non-empty one. */
    static boolean templateMatches(String template, String path) {
        if (path == null) {
            return false;
        }
        if (template.endsWith("*")) {
            return path.startsWith(template.substring(0, template.length() - 1));
        }
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith(":") ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
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
