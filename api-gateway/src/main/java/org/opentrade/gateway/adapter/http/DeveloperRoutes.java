package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.port.KeyRegistry;
import org.opentrade.gateway.port.PasswordHasher;

/**
 * Sign-up ({@code POST /v1/developers}), log-in ({@code POST /v1/sessions}) and
 * {@code GET /v1/developers/me}. Passwords are hashed with a slow KDF on a bounded pool of their own
 * ({@link PasswordWork}: past its bound, 503 -9004 with {@code Retry-After}); both
 * sign-up and log-in are limited per client address (IPv6 per /64), sign-up also in all (the service's
 * sign-ups per hour, whatever the address: many addresses must not grow the registry without end), and
 * log-in also per account (the email, whether or not it exists), so guessing one developer's password
 * from many addresses is as slow as from one. Both budgets are charged before the password is checked (the per-address
 * one by the chain, {@link PerAddressLimitFilter}). A failed log-in does not say whether the email
 * exists, and neither does the per-account limit: unknown emails have budgets too.
 */
public final class DeveloperRoutes {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{1,63}");

    private final PasswordWork passwords;
    private final KeyRegistry registry;
    private final PasswordHasher hasher;
    private final SessionTokens sessions;
    private final PlanCatalog plans;
    private final PolicyRateLimiter limiter;
    private final RateLimit perAccountLogInLimit;
    private final RateLimit signUpLimit;
    private final LongSupplier nowMillis;
    /** A hash verified when the email is unknown, so both paths cost the same time. */
    private final String decoyHash;

    public DeveloperRoutes(PasswordWork passwords, KeyRegistry registry, PasswordHasher hasher, SessionTokens sessions,
                           PlanCatalog plans, PolicyRateLimiter limiter, RateLimit perAccountLogInLimit,
                           RateLimit signUpLimit, LongSupplier nowMillis) {
        this.passwords = passwords;
        this.registry = registry;
        this.hasher = hasher;
        this.sessions = sessions;
        this.plans = plans;
        this.limiter = limiter;
        this.perAccountLogInLimit = perAccountLogInLimit;
        this.signUpLimit = signUpLimit;
        this.nowMillis = nowMillis;
        this.decoyHash = hasher.hash(ApiSecrets.newSecret());
    }

    /**
     * Sign-up and log-in are public, charged to the client address's budget; the developer's own
     * record needs a session and shows its budget without charging it.
     */
    public List<GatewayRoute> routes() {
        return List.of(
                GatewayRoute.platform("POST", "/v1/developers", Access.PUBLIC, 0, GatewayRoute.replying(201, this::signUp))
                        .withAddressLimit("signup"),
                GatewayRoute.platform("POST", "/v1/sessions", Access.PUBLIC, 0, GatewayRoute.replying(201, this::logIn))
                        .withAddressLimit("login"),
                GatewayRoute.platform("GET", "/v1/developers/me", Access.SESSION, 0, GatewayRoute.replying(200, this::me)));
    }

    private Future<JsonObject> signUp(RoutingContext ctx) {
        JsonObject body = JsonBodies.onlyFields(JsonBodies.requiredObject(ctx), Set.of("email", "password", "name"));
        String email = JsonBodies.displayText(body, "email", 3, 254, true).strip();
        String password = JsonBodies.string(body, "password", 10, 256, true);
        String name = JsonBodies.displayText(body, "name", 1, 100, true).strip();
        if (!EMAIL.matcher(email).matches()) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'email' is not an email address");
        }
        if (name.isEmpty()) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'name' must not be blank");
        }
        // The service's own budget, over every address: each new developer is a registry record (and may hold
        // keys), so sign-ups from many addresses, each within its own budget, must not grow it without end.
        // A taken email is answered before the budget and the hash: it makes no record, so it spends nothing.
        return Async.store(ctx, registry.developerByEmail(email))
                .compose(found -> found.isPresent() ? Future.<Void>failedFuture(new Rejection(GatewayError.EMAIL_TAKEN))
                        : throttle(ctx, "signup:all", signUpLimit, "too many sign-ups on this service at the moment; "
                                + "retry after the time in Retry-After"))
                .compose(v -> password(ctx, () -> hasher.hash(password)))
                .compose(hash -> {
                    Developer d = new Developer(ApiSecrets.newDeveloperId(), email, name, hash, plans.defaultPlan(),
                            false, nowMillis.getAsLong());
                    return Async.store(ctx, registry.addDeveloper(d)).compose(added -> added
                            ? Future.succeededFuture(d) : Future.failedFuture(new Rejection(GatewayError.EMAIL_TAKEN)));
                })
                .map(Views::developer);
    }

    private Future<JsonObject> logIn(RoutingContext ctx) {
        JsonObject body = JsonBodies.onlyFields(JsonBodies.requiredObject(ctx), Set.of("email", "password"));
        String email = JsonBodies.string(body, "email", 1, 254, true).strip();
        String password = JsonBodies.string(body, "password", 1, 256, true);
        return throttle(ctx, "account:login:" + ApiSecrets.hash(email.toLowerCase(Locale.ROOT)),
                        perAccountLogInLimit, "too many log-in attempts for this account; retry after the time in Retry-After")
                .compose(v -> Async.store(ctx, registry.developerByEmail(email)))
                .compose(found -> password(ctx, () -> {
                    boolean ok = hasher.verify(found.map(Developer::passwordHash).orElse(decoyHash), password);
                    return ok && found.isPresent() ? found.get() : null;
                }))
                .compose(dev -> {
                    if (dev == null) {
                        return Future.failedFuture(new Rejection(GatewayError.LOGIN_FAILED));
                    }
                    if (dev.suspended()) {
                        return Future.failedFuture(new Rejection(GatewayError.DEVELOPER_SUSPENDED));
                    }
                    return Future.succeededFuture(dev);
                })
                .map(dev -> new JsonObject().put("token", sessions.issue(dev.id()))
                        .put("token_type", "Bearer").put("expires_in", sessions.ttlSeconds())
                        .put("developer_id", dev.id()));
    }

    private Future<JsonObject> me(RoutingContext ctx) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        return Async.store(ctx, registry.developer(p.developerId())).compose(d -> d.isEmpty()
                ? Future.failedFuture(new Rejection(GatewayError.SESSION_INVALID))
                : Future.succeededFuture(Views.developer(d.get())));
    }

    /** Runs password work on its pool; refused there (503 -9004), the answer gets {@code Retry-After}. */
    private <T> Future<T> password(RoutingContext ctx, Callable<T> work) {
        return passwords.run(work).onFailure(err -> {
            if (PasswordWork.refusal(err)) {
                ctx.response().putHeader("Retry-After", OverloadFilter.RETRY_AFTER_SECONDS);
            }
        });
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
            RateLimitFilter.retryAfter(ctx, o.decision());
            return Future.failedFuture(new Rejection(GatewayError.RATE_LIMITED, refusal));
        });
    }
}
