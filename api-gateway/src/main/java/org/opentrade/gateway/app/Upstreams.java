package org.opentrade.gateway.app;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.adapter.http.proxy.ProxyHandler;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPool;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions;
import org.opentrade.gateway.adapter.http.proxy.WebSocketProxyHandler;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.Scope;

/**
 * The upstream pools of the configured services and the handler of each routed API route. The
 * upstream learns who is calling from trusted {@code X-OpenTrade-*} headers the gateway sets (and
 * strips from incoming requests), never from the caller's credentials, which are not forwarded.
 */
public final class Upstreams {
    public static final String DEVELOPER_HEADER = "X-OpenTrade-Developer-Id";
    public static final String KEY_HEADER = "X-OpenTrade-Key-Id";
    public static final String SCOPES_HEADER = "X-OpenTrade-Scopes";
    public static final String PLAN_HEADER = "X-OpenTrade-Plan";

    private final Map<String, UpstreamPool> pools;
    private final UpstreamHopListener hops;

    private Upstreams(Map<String, UpstreamPool> pools, UpstreamHopListener hops) {
        this.pools = pools;
        this.hops = hops;
    }

    /** Creates a pool per configured service (health checks start on the calling context). */
    public static Upstreams create(Vertx vertx, Map<String, UpstreamPoolOptions> options, UpstreamHopListener hops) {
        Map<String, UpstreamPool> pools = new LinkedHashMap<>();
        options.forEach((name, o) -> pools.put(name, new UpstreamPool(vertx, o)));
        return new Upstreams(pools, hops);
    }

    /** The handler of one routed API route. */
    public Handler<RoutingContext> handler(RoutePolicy route) {
        UpstreamPool pool = pools.get(route.upstream());
        if (pool == null) {
            return ctx -> HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE,
                    route.upstream() + " is not deployed behind this gateway (no targets configured)");
        }
        return route.websocket() ? new WebSocketProxyHandler(pool, hops, Upstreams::identity)
                : new ProxyHandler(pool, hops, Upstreams::identity);
    }

    /** Whether every configured pool has a usable instance. */
    public boolean available() {
        return pools.values().stream().allMatch(UpstreamPool::available);
    }

    public Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        pools.values().forEach(p -> all.add(p.close()));
        return Future.join(all).mapEmpty();
    }

    static void identity(RoutingContext ctx, MultiMap headers) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        if (p == null) {
            return;
        }
        headers.set(DEVELOPER_HEADER, p.developerId());
        if (p.keyId() != null) {
            headers.set(KEY_HEADER, p.keyId());
        }
        StringBuilder scopes = new StringBuilder();
        for (Scope s : Scope.values()) {
            if (p.has(s)) {
                scopes.append(scopes.length() == 0 ? "" : ",").append(s.wireName());
            }
        }
        headers.set(SCOPES_HEADER, scopes.toString());
        headers.set(PLAN_HEADER, p.plan().name());
    }
}
