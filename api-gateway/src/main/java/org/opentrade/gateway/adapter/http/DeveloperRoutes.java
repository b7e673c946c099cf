package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Locale;
import java.util.Optional;
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
import org.opentrade.gateway.port.ReplayGuard;

/**
 * Sign-up ({@code POST /v1/developers}), log-in ({@code POST /v1/sessions}), {@code GET /v1/developers/me},
 * a password change ({@code PUT /v1/developers/me/password}), log-out ({@code DELETE /v1/sessions/current}) and
 * log-out everywhere ({@code DELETE /v1/sessions})
 * and a password reset with an administrator's reset token ({@code POST /v1/developers/password-reset}). Passwords are hashed with a slow KDF on a bounded pool of their own
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

    /** A logged-out session is remembered this much past its end: gateways' clocks may differ by that. */
    private static final long LOGGED_OUT_MARGIN_MS = 60_000;

    private final PasswordWork passwords;
    private final KeyRegistry registry;
    private final ReplayGuard replayGuard;
    private final PasswordHasher hasher;
    private final SessionTokens sessions;
    private final PlanCatalog plans;
    private final PolicyRateLimiter limiter;
    private final RateLimit perAccountLogInLimit;
    private final RateLimit signUpLimit;
    private final LongSupplier nowMillis;
    /** A hash verified when the email is unknown, so both paths cost the same time. */
    private final String decoyHash;

    public DeveloperRoutes(PasswordWork passwords, KeyRegistry registry, ReplayGuard replayGuard, PasswordHasher hasher,
                           SessionTokens sessions, PlanCatalog plans, PolicyRateLimiter limiter,
                           RateLimit perAccountLogInLimit, RateLimit signUpLimit, LongSupplier nowMillis) {
        this.passwords = passwords;
        this.registry = registry;
        this.replayGuard = replayGuard;
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
                GatewayRoute.platform("GET", "/v1/developers/me", Access.SESSION, 0, GatewayRoute.replying(200, this::me)),
                GatewayRoute.platform("PUT", "/v1/developers/me/password", Access.SESSION, 0,
                        GatewayRoute.replying(200, this::changePassword)),
                // Neither log-out is charged to the key-change budget: any session of the developer, a thief's
                // too, can spend that, and these are how the owner ends a thief's session. Each writes once per
                // session instead (see endSessions, logOut), and each session costs a log-in.
                GatewayRoute.platform("DELETE", "/v1/sessions", Access.SESSION, 0, GatewayRoute.replying(200, this::endSessions)),
                GatewayRoute.platform("DELETE", "/v1/sessions/current", Access.SESSION, 0,
                        GatewayRoute.replying(200, this::logOut)),
                GatewayRoute.platform("POST", "/v1/sessions/refresh", Access.SESSION, 1, GatewayRoute.replying(200, this::refresh)),
                GatewayRoute.platform("POST", "/v1/developers/password-reset", Access.PUBLIC, 0,
                        GatewayRoute.replying(200, this::resetPassword)).withAddressLimit("login"));
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
                            false, nowMillis.getAsLong(), 0);
                    return Async.store(ctx, registry.addDeveloper(d)).compose(added -> added
                            ? Future.succeededFuture(d) : Future.failedFuture(new Rejection(GatewayError.EMAIL_TAKEN)));
                })
                .map(Views::developer);
    }

    private Future<JsonObject> logIn(RoutingContext ctx) {
        JsonObject body = JsonBodies.onlyFields(JsonBodies.requiredObject(ctx), Set.of("email", "password"));
        String email = JsonBodies.string(body, "email", 1, 254, true).strip();
        String password = JsonBodies.string(body, "password", 1, 256, true);
        return throttle(ctx, logInBucket(email), perAccountLogInLimit, "too many log-in attempts for this account; retry after the time in Retry-After")
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
                .map(this::session);
    }

    /** A new session of {@code dev}'s current generation: the log-in answer (Session). */
    private JsonObject session(Developer dev) {
        return session(sessions.issue(dev.id(), dev.sessionGeneration()), sessions.ttlSeconds(), dev.id());
    }

    private static JsonObject session(String token, long expiresInSeconds, String developerId) {
        return new JsonObject().put("token", token).put("token_type", "Bearer").put("expires_in", expiresInSeconds)
                .put("developer_id", developerId);
    }

    /**
     * {@code POST /v1/sessions/refresh}: a new token of the caller's session, valid another session TTL but never
     * past the session's maximum age from its log-in (then -2011: log in again). The old token stays valid until
     * its own expiry; a password change or log-out everywhere ends both. Charged one unit of the session's
     * request budget; no store write.
     */
    private Future<JsonObject> refresh(RoutingContext ctx) {
        SessionTokens.Claims claims = ctx.get(RequestKeys.SESSION);
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        SessionTokens.Session renewed = sessions.refresh(claims);
        return Future.succeededFuture(session(renewed.token(), renewed.expiresInSeconds(), p.developerId()));
    }

    /**
     * {@code PUT /v1/developers/me/password}: with the current password, sets a new one; every other session
     * of the developer ends (and any unused reset token), and the answer is a new session. Charged to the
     * account's log-in budget before the current password is checked (a stolen session must not be a faster
     * way to guess the password than the log-in). Written only if the password is still the one checked: of
     * two changes at once, the second is refused (-2022).
     */
    private Future<JsonObject> changePassword(RoutingContext ctx) {
        JsonObject body = JsonBodies.onlyFields(JsonBodies.requiredObject(ctx), Set.of("current_password", "new_password"));
        String current = JsonBodies.string(body, "current_password", 1, 256, true);
        String replacement = JsonBodies.string(body, "new_password", 10, 256, true);
        if (replacement.equals(current)) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'new_password' must differ from the current password");
        }
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        return Async.store(ctx, registry.developer(p.developerId()))
                .compose(found -> found.isEmpty() ? Future.failedFuture(new Rejection(GatewayError.SESSION_INVALID))
                        : throttle(ctx, logInBucket(found.get().email()), perAccountLogInLimit,
                                "too many password attempts for this account; retry after the time in Retry-After")
                                .map(found.get()))
                .compose(dev -> password(ctx, () -> hasher.verify(dev.passwordHash(), current) ? hasher.hash(replacement) : null)
                        .compose(hash -> hash == null ? Future.failedFuture(new Rejection(GatewayError.PASSWORD_WRONG))
                                : Async.store(ctx, registry.updateDeveloper(dev.id(), d -> {
                                    if (!d.passwordHash().equals(dev.passwordHash())) {
                                        throw new Rejection(GatewayError.PASSWORD_WRONG,
                                                "the password was changed meanwhile; log in with the new one");
                                    }
                                    return d.withPassword(hash);
                                }))))
                .compose(this::stored)
                .map(this::session);
    }

    /**
     * {@code DELETE /v1/sessions}: logs the developer out everywhere. Every session token issued so far,
     * this one included, ends on every gateway (and any unused reset token); open streams on them close.
     * Moves the generation on only from the one this session is of: calls racing on one session all pass
     * authentication, and the ones after the first find it ended (-2011) and write nothing.
     */
    private Future<JsonObject> endSessions(RoutingContext ctx) {
        SessionTokens.Claims claims = ctx.get(RequestKeys.SESSION);
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        return Async.store(ctx, registry.updateDeveloper(p.developerId(), d -> {
                    if (d.sessionGeneration() != claims.generation()) {
                        throw new Rejection(GatewayError.SESSION_EXPIRED, Authenticator.SESSION_ENDED);
                    }
                    return d.withSessionsEnded();
                }))
                .compose(this::stored)
                .map(d -> new JsonObject().put("developer_id", d.id()).put("sessions_ended", true));
    }

    /**
     * {@code DELETE /v1/sessions/current}: logs this session out on every gateway, the token sent and every refresh
     * of it (they share its session id), recorded in the replay guard's shared store until the session would have
     * ended anyway; the developer's other sessions stay. Streams opened with it end with their token's expiry.
     * Calls racing on one session record it once (the replay guard's first use), so they grow nothing.
     */
    private Future<JsonObject> logOut(RoutingContext ctx) {
        SessionTokens.Claims claims = ctx.get(RequestKeys.SESSION);
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        if (claims.sessionId() == null) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "this session token has no session id (issued before "
                    + "single log-outs existed): log out everywhere with DELETE /v1/sessions, or let it expire");
        }
        long ttl = sessions.sessionEndsAtMillis(claims) - nowMillis.getAsLong() + LOGGED_OUT_MARGIN_MS;
        return Async.store(ctx, replayGuard.firstUse(Authenticator.loggedOut(claims.sessionId()), Math.max(1, ttl)))
                .map(first -> new JsonObject().put("developer_id", p.developerId()).put("sessions_ended", true));
    }

    /**
     * {@code POST /v1/developers/password-reset}: sets a new password with a reset token an administrator
     * issued ({@code POST /v1/admin/developers/{id}/password-reset}). The token is spent by its use (the
     * generation moves on), and every session of the developer ends. Public, charged to the address's
     * log-in budget by the chain. Answers the developer; log in with the new password.
     */
    private Future<JsonObject> resetPassword(RoutingContext ctx) {
        JsonObject body = JsonBodies.onlyFields(JsonBodies.requiredObject(ctx), Set.of("reset_token", "new_password"));
        String token = JsonBodies.string(body, "reset_token", 1, 4096, true);
        String replacement = JsonBodies.string(body, "new_password", 10, 256, true);
        return sessions.verifyReset(token)
                .compose(claims -> password(ctx, () -> hasher.hash(replacement))
                        .compose(hash -> Async.store(ctx, registry.updateDeveloper(claims.developerId(), d -> {
                            if (d.sessionGeneration() != claims.generation()) {
                                throw new Rejection(GatewayError.RESET_TOKEN_INVALID, "the password-reset token was "
                                        + "already used, or the password was changed or every session logged out since");
                            }
                            return d.withPassword(hash);
                        }))))
                .compose(found -> found.isEmpty() ? Future.failedFuture(new Rejection(GatewayError.RESET_TOKEN_INVALID))
                        : Future.succeededFuture(Views.developer(found.get())));
    }

    private Future<Developer> stored(Optional<Developer> updated) {
        return updated.isEmpty() ? Future.failedFuture(new Rejection(GatewayError.SESSION_INVALID))
                : Future.succeededFuture(updated.get());
    }

    private static String logInBucket(String email) {
        return "account:login:" + ApiSecrets.hash(email.toLowerCase(Locale.ROOT));
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
