package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.OverloadFilter;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.InFlightLimit;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * The last handler of a REST route: sends the request (method, raw path and query, body already
 * read by a {@code BodyHandler}) to an instance of its {@link UpstreamPool} and streams the answer
 * back unchanged. Errors use the error model: no usable instance or connection failures after
 * retries → 503 -9001 naming the pool; no complete answer within the request timeout → 504 -9002;
 * an upstream that breaks mid-answer resets the caller's connection (a truncated body must never
 * look complete). Idempotent reads (GET, HEAD, OPTIONS) are retried on another instance when
 * nothing was received yet, or after a 502, 503 or 504; other methods never are, and neither is a 503
 * with {@code Retry-After} (a deliberate refusal: relayed as it came, and no failure of its instance's breaker). Past the pool's bound of requests in flight
 * ({@code max_in_flight}, with headroom kept for orders and cancels) a request is answered 503 -9004
 * with {@code Retry-After} at once, never queued for a connection. A request keeps its pool slot, and
 * its event loop's ({@link OverloadFilter#keepSlot}), until its upstream request has ended: when the
 * caller hangs up before any answer, a read is reset upstream (and not retried), while an order or a
 * cancel runs to its end, since resetting it would not undo what the upstream may already have done.
 *
 * <p>Called on the event loop; never blocks. Stateless apart from its configuration: one instance
 * may serve every route of a pool and every verticle.
 */
public final class ProxyHandler implements Handler<RoutingContext> {
    private final UpstreamPool pool;
    private final UpstreamHopListener hops;
    private final BiConsumer<RoutingContext, MultiMap> identityHeaders;
    private final long timeoutMillis;
    private final long connectTimeoutMillis;
    private final int maxRetries;
    private final int maxBodyBytes;

    /** A handler with the pool's request timeout. */
    public ProxyHandler(UpstreamPool pool, UpstreamHopListener hops, BiConsumer<RoutingContext, MultiMap> identityHeaders) {
        this(pool, hops, identityHeaders, pool.options().getRequestTimeout());
    }

    /**
     * A handler for a route with its own request timeout (e.g. a longer one for K-line history).
     * {@code identityHeaders} adds the trusted {@code X-OpenTrade-*} headers after the caller's
     * were stripped; {@code hops} is told of each attempt ({@link UpstreamHopListener#NONE} for none).
     */
    public ProxyHandler(UpstreamPool pool, UpstreamHopListener hops, BiConsumer<RoutingContext, MultiMap> identityHeaders,
                        Duration requestTimeout) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.hops = Objects.requireNonNull(hops, "hops");
        this.identityHeaders = Objects.requireNonNull(identityHeaders, "identityHeaders");
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout for " + pool.name() + " must be positive, got "
                    + requestTimeout);
        }
        UpstreamPoolOptions options = pool.options();
        this.timeoutMillis = requestTimeout.toMillis();
        this.connectTimeoutMillis = options.getConnectTimeout().toMillis();
        this.maxRetries = options.getMaxRetries();
        this.maxBodyBytes = options.getMaxRequestBodyBytes();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.response().closed()) {
            // The caller hung up while an earlier filter waited (authentication, the limiter): nobody is left
            // to answer, its loop slot went back at the hang-up, and an end handler added now would never run.
            return;
        }
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        if (body != null && body.length() > maxBodyBytes) {
            HttpErrors.send(ctx, GatewayError.BODY_TOO_LARGE, "the request body is larger than " + maxBodyBytes
                    + " bytes");
            return;
        }
        RoutePolicy route = ctx.get(RequestKeys.ROUTE);
        InFlightLimit inFlight = pool.inFlight();
        if (!inFlight.tryAcquire(route != null && InFlightLimit.priority(route.routeClass()))) {
            OverloadFilter.shed(ctx, pool.name() + " has too many requests in flight; retry after the time in Retry-After");
            return;
        }
        // Both slots are held until the upstream request has really ended, not until the caller's connection
        // closes: a caller who hangs up must not free room for another request while its own still runs upstream.
        Runnable loopSlot = OverloadFilter.keepSlot(ctx);
        Runnable release = () -> {
            inFlight.release();
            loopSlot.run();
        };
        ProxyExchange exchange;
        try {
            MultiMap headers = ForwardHeaders.outbound(ctx, identityHeaders, false);
            exchange = new ProxyExchange(ctx, pool, hops, headers, body, timeoutMillis, connectTimeoutMillis,
                    maxRetries, release);
        } catch (RuntimeException e) {
            release.run(); // nothing was sent; the router answers 500
            throw e;
        }
        exchange.start();
    }
}
