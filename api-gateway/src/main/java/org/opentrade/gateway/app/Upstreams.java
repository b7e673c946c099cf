package org.opentrade.gateway.app;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import org.opentrade.common.discovery.InstanceChange;
import org.opentrade.common.discovery.ServiceDiscovery;
import org.opentrade.common.discovery.Watch;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.adapter.http.proxy.ProxyHandler;
import org.opentrade.gateway.adapter.http.proxy.UpstreamInstance;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPool;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions;
import org.opentrade.gateway.adapter.http.proxy.WebSocketProxyHandler;
import org.opentrade.gateway.adapter.identity.AssertionIssuer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.Scope;

/**
 * The upstream pools of the configured services and the handler of each routed API route. The
 * upstream learns who is calling from the signed {@value IdentityAssertions#HEADER} the gateway
 * sets on every proxied request and WebSocket upgrade (audience: the route's upstream name), never
 * from the caller's credentials, which are not forwarded. The plain {@code X-OpenTrade-*} headers
 * beside it say the same for logs only: anyone who reaches an upstream's port directly could send
 * them, so upstreams must rely on the assertion alone. The gateway strips every {@code X-OpenTrade-*}
 * header a client sends, the assertion included.
 */
public final class Upstreams {
    /** For logs only, like the three below: upstreams trust {@value IdentityAssertions#HEADER} alone. */
    public static final String DEVELOPER_HEADER = "X-OpenTrade-Developer-Id";
    public static final String KEY_HEADER = "X-OpenTrade-Key-Id";
    public static final String SCOPES_HEADER = "X-OpenTrade-Scopes";
    public static final String PLAN_HEADER = "X-OpenTrade-Plan";
    // The same names with their hash computed once (HttpHeaders.createOptimized): set on every proxied call.
    private static final CharSequence ASSERTION_NAME = HttpHeaders.createOptimized(IdentityAssertions.HEADER);
    private static final CharSequence DEVELOPER_NAME = HttpHeaders.createOptimized(DEVELOPER_HEADER);
    private static final CharSequence KEY_NAME = HttpHeaders.createOptimized(KEY_HEADER);
    private static final CharSequence SCOPES_NAME = HttpHeaders.createOptimized(SCOPES_HEADER);
    private static final CharSequence PLAN_NAME = HttpHeaders.createOptimized(PLAN_HEADER);

    private static final Scope[] SCOPES = Scope.values();
    /** The header value of every set of scopes, by bit mask over {@link #SCOPES}: built once, not per request. */
    private static final String[] SCOPE_LISTS = scopeLists();

    private static final Logger LOG = Logger.getLogger(Upstreams.class.getName());
    private final Map<String, UpstreamPool> pools;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private boolean closed;
    private final UpstreamHopListener hops;
    private final AssertionIssuer assertions;

    private Upstreams(Map<String, UpstreamPool> pools, UpstreamHopListener hops, AssertionIssuer assertions) {
        this.pools = pools;
        this.hops = hops;
        this.assertions = assertions;
    }

    /**
     * Creates a pool per configured service (health checks start on the calling context);
     * {@code assertions} signs who is calling for each upstream.
     */
    public static Upstreams create(Vertx vertx, Map<String, UpstreamPoolOptions> options, UpstreamHopListener hops,
                                   AssertionIssuer assertions) {
        Map<String, UpstreamPool> pools = new LinkedHashMap<>();
        options.forEach((name, o) -> pools.put(name, new UpstreamPool(vertx, o)));
        return new Upstreams(pools, hops, java.util.Objects.requireNonNull(assertions, "assertions"));
    }

    /** The handler of one routed API route. */
    public Handler<RoutingContext> handler(RoutePolicy route) {
        UpstreamPool pool = pools.get(route.upstream());
        if (pool == null) {
            return ctx -> HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE,
                    route.upstream() + " is not deployed behind this gateway (no targets configured)");
        }
        AssertionIssuer.Audience audience = assertions.audience(route.upstream());
        BiConsumer<RoutingContext, MultiMap> identity = (ctx, headers) -> identity(ctx, headers, audience);
        return route.websocket() ? new WebSocketProxyHandler(pool, hops, identity)
                : new ProxyHandler(pool, hops, identity);
    }

    /**
     * Makes every pool configured with {@code upstreams.discovery: cluster} follow the instances of
     * its service in {@code discovery}: each announced change replaces the pool's instances
     * ({@link UpstreamPool#update}). Completes once every such pool has its first set (possibly
     * empty), so a gateway that starts next to running instances serves at once. The watches end
     * with {@link #close()}. Call it once.
     */
    public Future<Void> follow(ServiceDiscovery discovery, Context context) {
        List<Future<Watch>> started = new ArrayList<>();
        pools.forEach((name, pool) -> {
            if (pool.options().getDiscovery() == UpstreamPoolOptions.Discovery.CLUSTER) {
                started.add(Future.fromCompletionStage(discovery.watch(name, (instances, changes) -> {
                    pool.update(instances.all());
                    for (InstanceChange c : changes) {
                        LOG.info("upstream " + name + ": " + c.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                                + c.instance().address() + " (" + c.instance().instanceId()
                                + (c.instance().draining() ? ", draining" : "") + ")");
                    }
                }), context).onSuccess(this::keep));
            }
        });
        return Future.all(started).mapEmpty();
    }

    /** The pool of {@code service}, or null when it is not deployed behind this gateway (for metrics and tests). */
    public UpstreamPool pool(String service) {
        return pools.get(service);
    }

    /**
     * Per pool and instance, for {@code /metrics}: instances, whether each is up (healthy, breaker not
     * open, not draining), its breaker state, and the REST requests in flight and shed per pool.
     * Labels are the pools' names and instances' host:port (configured or announced).
     */
    public String prometheus() {
        StringBuilder b = new StringBuilder(1024);
        b.append("# HELP opentrade_gateway_upstream_up 1 when the instance takes requests (healthy, breaker not open, not draining).\n");
        b.append("# TYPE opentrade_gateway_upstream_up gauge\n");
        StringBuilder breakers = new StringBuilder();
        breakers.append("# HELP opentrade_gateway_upstream_breaker_state The instance's circuit breaker: 0 closed, 1 half-open, 2 open.\n");
        breakers.append("# TYPE opentrade_gateway_upstream_breaker_state gauge\n");
        StringBuilder inFlight = new StringBuilder();
        inFlight.append("# HELP opentrade_gateway_upstream_in_flight REST requests in flight to the pool.\n");
        inFlight.append("# TYPE opentrade_gateway_upstream_in_flight gauge\n");
        StringBuilder shed = new StringBuilder();
        shed.append("# HELP opentrade_gateway_upstream_shed_total Requests answered 503 -9004 because the pool had its bound in flight.\n");
        shed.append("# TYPE opentrade_gateway_upstream_shed_total counter\n");
        pools.forEach((name, pool) -> {
            for (UpstreamInstance i : pool.instances()) {
                String labels = "{pool=\"" + name + "\",instance=\"" + i.target() + "\"}";
                boolean up = !i.draining() && i.healthy() && i.breakerState() != CircuitBreakerState.OPEN;
                b.append("opentrade_gateway_upstream_up").append(labels).append(' ').append(up ? 1 : 0).append('\n');
                int state = switch (i.breakerState()) {
                    case CLOSED -> 0;
                    case HALF_OPEN -> 1;
                    case OPEN -> 2;
                };
                breakers.append("opentrade_gateway_upstream_breaker_state").append(labels).append(' ').append(state).append('\n');
            }
            inFlight.append("opentrade_gateway_upstream_in_flight{pool=\"").append(name).append("\"} ")
                    .append(pool.inFlight().inFlight()).append('\n');
            shed.append("opentrade_gateway_upstream_shed_total{pool=\"").append(name).append("\"} ")
                    .append(pool.inFlight().shed()).append('\n');
        });
        return b.append(breakers).append(inFlight).append(shed).toString();
    }

    /** Whether every configured pool has a usable instance. */
    public boolean available() {
        return pools.values().stream().allMatch(UpstreamPool::available);
    }

    private synchronized void keep(Watch watch) {
        if (closed) {
            watch.cancel(); // started while the gateway was closing (a failed start)
        } else {
            watches.add(watch);
        }
    }

    public Future<Void> close() {
        synchronized (this) {
            closed = true;
        }
        watches.forEach(Watch::cancel);
        List<Future<Void>> all = new ArrayList<>();
        pools.values().forEach(p -> all.add(p.close()));
        return Future.join(all).mapEmpty();
    }

    private static String[] scopeLists() {
        String[] lists = new String[1 << SCOPES.length];
        for (int mask = 0; mask < lists.length; mask++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < SCOPES.length; i++) {
                if ((mask & (1 << i)) != 0) {
                    sb.append(sb.length() == 0 ? "" : ",").append(SCOPES[i].wireName());
                }
            }
            lists[mask] = sb.toString();
        }
        return lists;
    }

    /** Called on the event loop for each proxied request; signs only when the audience has no fresh assertion. */
    static void identity(RoutingContext ctx, MultiMap headers, AssertionIssuer.Audience audience) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        if (p == null) {
            return;
        }
        headers.set(ASSERTION_NAME, audience.assertionFor(p));
        headers.set(DEVELOPER_NAME, p.developerId());
        if (p.keyId() != null) {
            headers.set(KEY_NAME, p.keyId());
        }
        int mask = 0;
        for (int i = 0; i < SCOPES.length; i++) {
            if (p.has(SCOPES[i])) {
                mask |= 1 << i;
            }
        }
        headers.set(SCOPES_NAME, SCOPE_LISTS[mask]);
        headers.set(PLAN_NAME, p.plan().name());
    }
}
