package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.opentrade.common.json.StrictJson;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.LimitOutcome;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RateDecision;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * Charges the route's weight to the caller's per-minute budget and, for a new order, one unit to
 * the caller's order rate on the order's symbol; writes {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds) on the response, and
 * {@code Retry-After} (seconds) on a 429. Cancels are never throttled: they only read the budget
 * for the headers, and pass whatever the limiter says or whether it answers at all.
 */
public final class RateLimitFilter implements GatewayFilter {
    private final PolicyRateLimiter limiter;

    public RateLimitFilter(PolicyRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public int order() {
        return ORDER_RATE_LIMIT;
    }

    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.access().identifiesCaller();
    }

    @Override
    public void handle(RoutingContext ctx) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        if (p == null) {
            ctx.next();
            return;
        }
        RoutePolicy route = ctx.get(RequestKeys.ROUTE);
        RouteClass cls = route == null ? RouteClass.PLATFORM : route.routeClass();
        int weight = route == null ? 1 : route.weight();
        String bucket = "w:" + p.meterId();
        if (!cls.throttled() || weight == 0) {
            showBudget(ctx, limiter, p).onComplete(v -> ctx.next());
            return;
        }
        String symbol;
        try {
            symbol = orderSymbol(ctx, route);
        } catch (Rejection r) {
            Async.fail(ctx, r);
            return;
        }
        Async.on(ctx, limiter.acquire(bucket, p.plan().weightLimit(), weight, cls))
                .compose(outcome -> {
                    Rejection refused = admit(ctx, outcome, GatewayError.RATE_LIMITED, GatewayError.RATE_LIMITED.message());
                    if (refused != null || symbol == null) {
                        return refused == null ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(refused);
                    }
                    return Async.on(ctx, limiter.acquire("o:" + p.meterId() + ":" + symbol, p.plan().orderLimit(), 1, cls))
                            .compose(o -> {
                                Rejection r = admitOrder(ctx, o, symbol);
                                return r == null ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(r);
                            });
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Async.fail(ctx, ar.cause());
                    } else {
                        ctx.next();
                    }
                });
    }

    /**
     * Puts the caller's request budget on the response without charging it, for answers that cost
     * nothing (platform reads, refusals after authentication). Never fails: a limiter that does not
     * answer leaves the headers off.
     */
    static Future<Void> showBudget(RoutingContext ctx, PolicyRateLimiter limiter, Principal p) {
        return Async.on(ctx, limiter.acquire("w:" + p.meterId(), p.plan().weightLimit(), 0, RouteClass.PLATFORM))
                .<Void>map(outcome -> {
                    if (!outcome.unavailable()) {
                        headers(ctx.response(), outcome.decision());
                    }
                    return null;
                }).otherwiseEmpty();
    }

    /**
     * Sets the {@code RateLimit-*} headers; null when admitted, else the refusal to fail the request
     * with ({@code refusal}, with {@code Retry-After} set, or -3003 when the limiter is unreachable).
     */
    static Rejection admit(RoutingContext ctx, LimitOutcome outcome, GatewayError refusal, String message) {
        if (outcome.unavailable()) {
            return new Rejection(GatewayError.LIMITER_UNAVAILABLE);
        }
        RateDecision d = outcome.decision();
        headers(ctx.response(), d);
        if (!d.allowed()) {
            retryAfter(ctx, d);
            return new Rejection(refusal, message);
        }
        return null;
    }

    private static Rejection admitOrder(RoutingContext ctx, LimitOutcome outcome, String symbol) {
        if (outcome.unavailable()) {
            return new Rejection(GatewayError.LIMITER_UNAVAILABLE);
        }
        RateDecision d = outcome.decision();
        if (!d.allowed()) {
            retryAfter(ctx, d);
            return new Rejection(GatewayError.ORDER_RATE_LIMITED, "order rate limit of " + d.limit()
                    + " per second for " + symbol + " exceeded; retry after the time in Retry-After");
        }
        return null;
    }

    /** {@code Retry-After} (whole seconds, at least 1) of a refusal, unless the head is gone (an upgraded WebSocket). */
    static void retryAfter(RoutingContext ctx, RateDecision d) {
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, seconds(d.retryAfterMillis()))));
        }
    }

    /** The symbol of a new order ({@code POST /v1/orders}); null for other routes. */
    private static String orderSymbol(RoutingContext ctx, RoutePolicy route) {
        if (route == null || !route.method().equals("POST") || !route.template().equals("/v1/orders")) {
            return null;
        }
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "an order needs a JSON body: " + JsonBodies.BODY_REQUIRED);
        }
        Object order;
        try {
            order = StrictJson.decode(body);
        } catch (StrictJson.Duplicate e) {
            throw JsonBodies.duplicate(e); // {"symbol":"A","symbol":"B"}: never limit one symbol and place another
        } catch (DecodeException e) {
            throw new Rejection(GatewayError.MALFORMED_REQUEST, "the order body is not a JSON object");
        }
        if (!(order instanceof JsonObject o)) {
            throw new Rejection(GatewayError.MALFORMED_REQUEST, "the order body is not a JSON object");
        }
        if (!(o.getValue("symbol") instanceof String s) || s.isEmpty() || s.length() > 32) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "an order needs a 'symbol' string such as 600000.SH");
        }
        return s;
    }

    // Set on every limited answer: names with their hash computed once.
    private static final CharSequence LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
    private static final CharSequence REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
    private static final CharSequence RESET = HttpHeaders.createOptimized("RateLimit-Reset");

    private static void headers(HttpServerResponse response, RateDecision d) {
        if (response.headWritten()) {
            return; // a WebSocket upgraded to authenticate by a first frame: no HTTP head to add to
        }
        response.putHeader(LIMIT, Long.toString(d.limit()))
                .putHeader(REMAINING, Long.toString(d.remaining()))
                .putHeader(RESET, Long.toString(seconds(d.resetMillis())));
    }

    private static long seconds(long millis) {
        return Math.max(0, (millis + 999) / 1000);
    }
}
