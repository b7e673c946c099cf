package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.port.KeyRegistry;
import org.opentrade.gateway.port.PasswordHasher;

/**
 * Sign-up ({@code POST /v1/developers}), log-in ({@code POST /v1/sessions}) and
 * {@code GET /v1/developers/me}. Passwords are hashed with a slow KDF on a worker thread; both
 * sign-up and log-in are limited per client address (IPv6 per /64), and log-in also per account
 * (the email, whether or not it exists), so guessing one developer's password from many addresses
 * is as slow as from one. Both budgets are charged before the password is checked. A failed log-in
 * does not say whether the email exists, and neither does the per-account limit: unknown emails
 * have budgets too.
 */
public final class DeveloperRoutes {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{1,63}");

    private final Vertx vertx;
    private final KeyRegistry registry;
    private final PasswordHasher hasher;
    private final SessionTokens sessions;
    private final Authenticator authenticator;
    private final PlanCatalog plans;
    private final PolicyRateLimiter limiter;
    private final RateLimit perAddressLimit;
    private final RateLimit perAccountLogInLimit;
    private final ClientAddresses addresses;
    private final LongSupplier nowMillis;
    /** A hash verified when the email is unknown, so both paths cost the same time. */
    private final String decoyHash;

    public DeveloperRoutes(Vertx vertx, KeyRegistry registry, PasswordHasher hasher, SessionTokens sessions,
                           Authenticator authenticator, PlanCatalog plans, PolicyRateLimiter limiter,
                           RateLimit perAddressLimit, RateLimit perAccountLogInLimit, ClientAddresses addresses,
                           LongSupplier nowMillis) {
        this.vertx = vertx;
        this.registry = registry;
        this.hasher = hasher;
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.plans = plans;
        this.limiter = limiter;
        this.perAddressLimit = perAddressLimit;
        this.perAccountLogInLimit = perAccountLogInLimit;
        this.addresses = addresses;
        this.nowMillis = nowMillis;
        this.decoyHash = hasher.hash(ApiSecrets.newSecret());
    }

    public void mount(Router router) {
        router.post("/v1/developers").handler(this::signUp);
        router.post("/v1/sessions").handler(this::logIn);
        router.get("/v1/developers/me").handler(this::me);
    }

    private void signUp(RoutingContext ctx) {
        JsonObject body;
        String email;
        String password;
        String name;
        try {
            body = JsonBodies.requiredObject(ctx);
            email = JsonBodies.string(body, "email", 3, 254, true).strip();
            password = JsonBodies.string(body, "password", 10, 256, true);
            name = JsonBodies.string(body, "name", 1, 100, true).strip();
            if (!EMAIL.matcher(email).matches()) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "'email' is not an email address");
            }
            if (name.isEmpty()) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "'name' must not be blank");
            }
        } catch (Rejection r) {
            HttpErrors.send(ctx, r.error(), r.getMessage());
            return;
        }
        perAddress(ctx, "signup")
                .compose(v -> vertx.executeBlocking(() -> hasher.hash(password), false))
                .compose(hash -> {
                    Developer d = new Developer(ApiSecrets.newDeveloperId(), email, name, hash, plans.defaultPlan(),
                            false, nowMillis.getAsLong());
                    return Async.store(ctx, registry.addDeveloper(d)).compose(added -> added
                            ? Future.succeededFuture(d) : Future.failedFuture(new Rejection(GatewayError.EMAIL_TAKEN)));
                })
                .onSuccess(d -> JsonBodies.send(ctx, 201, Views.developer(d)))
                .onFailure(err -> Async.fail(ctx, err));
    }

    private void logIn(RoutingContext ctx) {
        String email;
        String password;
        try {
            JsonObject body = JsonBodies.requiredObject(ctx);
            email = JsonBodies.string(body, "email", 1, 254, true).strip();
            password = JsonBodies.string(body, "password", 1, 256, true);
        } catch (Rejection r) {
            HttpErrors.send(ctx, r.error(), r.getMessage());
            return;
        }
        perAddress(ctx, "login")
                .compose(v -> throttle(ctx, "account:login:" + ApiSecrets.hash(email.toLowerCase(Locale.ROOT)),
                        perAccountLogInLimit, "too many log-in attempts for this account; retry after the time in Retry-After"))
                .compose(v -> Async.store(ctx, registry.developerByEmail(email)))
                .compose(found -> vertx.executeBlocking(() -> {
                    boolean ok = hasher.verify(found.map(Developer::passwordHash).orElse(decoyHash), password);
                    return ok && found.isPresent() ? found.get() : null;
                }, false))
                .compose(dev -> {
                    if (dev == null) {
                        return Future.failedFuture(new Rejection(GatewayError.LOGIN_FAILED));
                    }
                    if (dev.suspended()) {
                        return Future.failedFuture(new Rejection(GatewayError.DEVELOPER_SUSPENDED));
                    }
                    return Future.succeededFuture(dev);
                })
                .onSuccess(dev -> JsonBodies.send(ctx, 201, new JsonObject().put("token", sessions.issue(dev.id()))
                        .put("token_type", "Bearer").put("expires_in", sessions.ttlSeconds())
                        .put("developer_id", dev.id())))
                .onFailure(err -> Async.fail(ctx, err));
    }

    private void me(RoutingContext ctx) {
        authenticator.session(ctx)
                .compose(p -> RateLimitFilter.showBudget(ctx, limiter, p)
                        .compose(v -> Async.store(ctx, registry.developer(p.developerId()))))
                .onSuccess(d -> {
                    if (d.isEmpty()) {
                        HttpErrors.send(ctx, GatewayError.SESSION_INVALID);
                    } else {
                        JsonBodies.send(ctx, 200, Views.developer(d.get()));
                    }
                })
                .onFailure(err -> Async.fail(ctx, err));
    }

    /** Per-address budget for sign-up and log-in; fails open like other platform routes. */
    private Future<Void> perAddress(RoutingContext ctx, String what) {
        return throttle(ctx, "ip:" + what + ":" + addresses.limitKey(ctx.request()), perAddressLimit,
                "too many " + what + " attempts from this address; retry after the time in Retry-After");
    }

    /**
     * Charges one attempt to {@code bucket}; refused: 429 -3001 with {@code Retry-After}. Fails open
     * like other platform routes (a shared limiter that is down falls back to the local one).
     */
    private Future<Void> throttle(RoutingContext ctx, String bucket, RateLimit limit, String refusal) {
        return Async.on(ctx, limiter.acquire(bucket, limit, 1, RouteClass.PLATFORM)).compose(o -> {
            if (o.unavailable() || o.decision().allowed()) {
                return Future.succeededFuture();
            }
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (o.decision().retryAfterMillis() + 999) / 1000)));
            return Future.failedFuture(new Rejection(GatewayError.RATE_LIMITED, refusal));
        });
    }
}
