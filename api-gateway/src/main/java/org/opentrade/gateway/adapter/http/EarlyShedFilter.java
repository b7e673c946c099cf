package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.gateway.domain.InFlightLimit;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * The overload bound checked first, before tracing, the request guard and route matching: when the
 * event loop already has its bound in flight, the request is answered 503 -9004 with
 * {@code Retry-After} at once. A shed request costs its HTTP decode and this answer, about a fifth
 * of a served call; shed after those steps, it cost a third, and at three times the gateway's
 * maximum the shedding alone took the event loop. Shed requests are not traced (their answer still
 * carries a fresh trace id) and not metered.
 *
 * <p>It only peeks: the admission itself (and its release when the answer ends) stays with
 * {@link OverloadFilter} on the route, which sees the route's class; so a request admitted here is
 * counted there, and the rare request that finds the bound reached between the two (its body was
 * still being read) is shed there. Orders and cancels are recognised here by method and path, from
 * the same route policies, so they keep their reserved headroom. WebSocket upgrades pass (streams
 * are not requests in flight; a request that only claims to be one is still bounded on its route),
 * other upgrades (Java's client asks for {@code h2c}) do not.
 *
 * <p>Called on the event loop; never blocks; allocates nothing for an admitted request.
 */
public final class EarlyShedFilter implements GatewayFilter {
    /** Before tracing: a shed request starts no span. */
    public static final int ORDER_EARLY_SHED = ORDER_TRACING - 100;

    private final OverloadFilter overload;
    /** Method and path segments of the routes that may use the reserved headroom. */
    private final List<PriorityRoute> priority = new ArrayList<>();

    public EarlyShedFilter(OverloadFilter overload, List<GatewayRoute> routes) {
        this.overload = overload;
        for (GatewayRoute r : routes) {
            RoutePolicy p = r.policy();
            if (p.method() != null && !r.websocket() && InFlightLimit.priority(p.routeClass())) {
                priority.add(new PriorityRoute(p.method(), p.template().substring(1).split("/")));
            }
        }
    }

    @Override
    public int order() {
        return ORDER_EARLY_SHED;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (req.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)
                || overload.loopLimit().admits(isPriority(req.method().name(), req.path()))) {
            ctx.next();
            return;
        }
        overload.loopLimit().countShed();
        OverloadFilter.shed(ctx, "the gateway is overloaded; retry after the time in Retry-After");
    }

    /** Whether {@code method path} is one of the order or cancel routes. */
    boolean isPriority(String method, String path) {
        if (path == null || method.equals("GET") || method.equals("HEAD")) {
            return false;
        }
        for (PriorityRoute r : priority) {
            if (r.method.equals(method) && r.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** A route template as segments; a {@code :name} segment matches any one non-empty segment. */
    private record PriorityRoute(String method, String[] segments) {
        boolean matches(String path) {
            int at = 1; // after the leading '/'
            for (int i = 0; i < segments.length; i++) {
                if (at > path.length()) {
                    return false;
                }
                int end = path.indexOf('/', at);
                if (end < 0) {
                    end = path.length();
                }
                String s = segments[i];
                boolean ok = s.startsWith(":") ? end > at : s.length() == end - at && path.startsWith(s, at);
                if (!ok) {
                    return false;
                }
                at = end + 1;
            }
            return at == path.length() + 1;
        }
    }
}
