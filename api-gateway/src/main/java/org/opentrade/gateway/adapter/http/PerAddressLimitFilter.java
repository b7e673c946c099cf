package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.domain.RouteClass;

/**
 * Charges one attempt to the client address's budget of routes that have one (sign-up, log-in:
 * {@link GatewayRoute#addressLimit}), before any credential or password is looked at; refused: 429
 * -3001 with {@code Retry-After}. An IPv4 address, or an IPv6 /64 ({@link ClientAddresses#limitKey}).
 * Fails open like other platform routes (a shared limiter that is down falls back to the local one).
 */
public final class PerAddressLimitFilter implements GatewayFilter {
    private final PolicyRateLimiter limiter;
    private final RateLimit perAddress;
    private final ClientAddresses addresses;
    /** Sign-ups per address per hour, on top of the per-minute budget: each one leaves a record that stays. */
    private final RateLimit signUpsPerAddress;

    public PerAddressLimitFilter(PolicyRateLimiter limiter, RateLimit perAddress, ClientAddresses addresses) {
        this(limiter, perAddress, addresses, null);
    }

    public PerAddressLimitFilter(PolicyRateLimiter limiter, RateLimit perAddress, ClientAddresses addresses,
                                 RateLimit signUpsPerAddress) {
        this.limiter = limiter;
        this.perAddress = perAddress;
        this.addresses = addresses;
        this.signUpsPerAddress = signUpsPerAddress;
    }

    @Override
    public int order() {
        return ORDER_PER_ADDRESS_LIMIT;
    }

    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.addressLimit() != null;
    }

    @Override
    public void handle(RoutingContext ctx) {
        GatewayRoute route = ctx.get(RequestKeys.GATEWAY_ROUTE);
        String what = route == null ? null : route.addressLimit();
        if (what == null) {
            ctx.next();
            return;
        }
        String address = addresses.limitKey(ctx.request());
        String refusal = "too many " + what + " attempts from this address; retry after the time in Retry-After";
        if ("signup".equals(what) && signUpsPerAddress != null) {
            // Then the hourly one, so one address cannot spend the service's sign-ups (limits.signups_per_hour).
            chargeThen(ctx, limiter, "ip:" + what + ":" + address, perAddress, refusal, () -> charge(ctx, limiter,
                    "ip:" + what + "-hour:" + address, signUpsPerAddress, "at most " + signUpsPerAddress.limit()
                            + " sign-ups an hour from one address; retry after the time in Retry-After"));
            return;
        }
        charge(ctx, limiter, "ip:" + what + ":" + address, perAddress, refusal);
    }

    private static void chargeThen(RoutingContext ctx, PolicyRateLimiter limiter, String bucket, RateLimit limit,
                                   String refusal, Runnable then) {
        Async.on(ctx, limiter.acquire(bucket, limit, 1, RouteClass.PLATFORM)).onComplete(ar -> {
            if (ar.failed()) {
                Async.fail(ctx, ar.cause());
            } else if (ar.result().unavailable() || ar.result().decision().allowed()) {
                then.run();
            } else {
                RateLimitFilter.retryAfter(ctx, ar.result().decision());
                Async.fail(ctx, new Rejection(GatewayError.RATE_LIMITED, refusal));
            }
        });
    }

    /**
     * Charges one unit of {@code bucket}: admitted, {@code ctx.next()}; refused, the request fails with
     * 429 -3001 {@code refusal} and {@code Retry-After}. Fails open.
     */
    static void charge(RoutingContext ctx, PolicyRateLimiter limiter, String bucket, RateLimit limit, String refusal) {
        chargeThen(ctx, limiter, bucket, limit, refusal, ctx::next);
    }
}
