package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.Cidr;
import org.opentrade.gateway.domain.Ed25519Signatures;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.Scope;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * {@code /v1/keys}: a developer's API keys, managed with a portal session (a key cannot mint keys).
 * A secret is returned once, at creation or rotation, and stored only as a hash. Rotation keeps the
 * previous secret valid for a grace period, so running clients can be switched over without a gap.
 * A new key has its developer's plan unless the request asks for a lower one; the key quota is the
 * developer's plan's, whatever the keys' own plans. Authentication, metering, the request budget and
 * the developer's key-change budget are the chain's ({@link KeyChangeLimitFilter}).
 */
public final class KeyRoutes {
    static final int MAX_CIDRS = 32;
    static final long DEFAULT_GRACE_SECONDS = 86_400;
    static final long MAX_GRACE_SECONDS = 7 * 86_400;

    /** The fields of {@code POST /v1/keys} (ApiKeyCreate); any other is refused. */
    private static final Set<String> CREATE_FIELDS = Set.of("label", "type", "scopes", "allowed_cidrs", "plan",
            "expires_at", "public_key");

    private final KeyRegistry registry;
    private final PlanCatalog plans;
    private final LongSupplier nowMillis;
    private final int revokedKept;

    /**
     * @param revokedKept revoked keys kept per developer; older ones are deleted on the next
     *                    revocation (they then read as unknown keys, -2002)
     */
    public KeyRoutes(KeyRegistry registry, PlanCatalog plans, LongSupplier nowMillis, int revokedKept) {
        this.registry = registry;
        this.plans = plans;
        this.nowMillis = nowMillis;
        this.revokedKept = revokedKept;
    }

    /**
     * A session's routes, each costing 1 unit of the session's request budget; a change (create,
     * revoke, rotate, plan) also 1 unit of the developer's key-change budget.
     */
    public List<GatewayRoute> routes() {
        return List.of(
                route("GET", "/v1/keys", 200, this::list),
                route("POST", "/v1/keys", 201, this::create).withKeyChange(),
                route("DELETE", "/v1/keys/:key_id", 200, this::revoke).withKeyChange(),
                route("POST", "/v1/keys/:key_id/rotate", 200, this::rotate).withKeyChange(),
                route("PUT", "/v1/keys/:key_id/plan", 200, this::plan).withKeyChange());
    }

    private static GatewayRoute route(String method, String template, int status,
                                      java.util.function.BiFunction<RoutingContext, Principal, Future<JsonObject>> action) {
        return GatewayRoute.platform(method, template, Access.SESSION, 1,
                GatewayRoute.replying(status, ctx -> action.apply(ctx, ctx.get(RequestKeys.PRINCIPAL))));
    }

    private Future<JsonObject> list(RoutingContext ctx, Principal p) {
        return Async.store(ctx, registry.keysOf(p.developerId())).map(keys -> {
            JsonArray out = new JsonArray();
            long now = nowMillis.getAsLong();
            keys.forEach(k -> out.add(Views.key(k, now)));
            return new JsonObject().put("keys", out);
        });
    }

    private Future<JsonObject> create(RoutingContext ctx, Principal p) {
        JsonObject body = JsonBodies.onlyFields(JsonBodies.requiredObject(ctx, " ({} takes the defaults)"), CREATE_FIELDS);
        String label = Optional.ofNullable(JsonBodies.displayText(body, "label", 0, 100, false)).orElse("");
        KeyType type = parseType(Optional.ofNullable(JsonBodies.string(body, "type", 1, 16, false)).orElse("secret"));
        Set<Scope> scopes = parseScopes(body.getValue("scopes"));
        List<String> cidrs = parseCidrs(body.getValue("allowed_cidrs"));
        String plan = keyPlan(JsonBodies.plan(body, plans, false), p.plan());
        long now = nowMillis.getAsLong();
        long expiresAt = parseExpiry(JsonBodies.string(body, "expires_at", 1, 40, false), now);
        String publicKey = null;
        if (type == KeyType.ED25519) {
            String pk = JsonBodies.string(body, "public_key", 1, 200, true);
            publicKey = Ed25519Signatures.parsePublicKey(pk).map(Ed25519Signatures::encode).orElseThrow(() ->
                    new Rejection(GatewayError.INVALID_PARAMETER,
                            "'public_key' must be a base64 Ed25519 public key (X.509 DER or the raw 32 bytes) of a point a"
                                    + " private key makes (on the curve, canonical, not of small order)"));
        } else if (body.getValue("public_key") != null) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'public_key' is only for type 'ed25519'");
        }
        String secret = type == KeyType.SECRET ? ApiSecrets.newSecret() : null;
        ApiKey key = new ApiKey(ApiSecrets.newKeyId(), p.developerId(), label, type, scopes, plan,
                secret == null ? List.of() : List.of(ApiSecrets.hash(secret)), 0, publicKey, cidrs, expiresAt,
                KeyStatus.ACTIVE, now, 0);
        // The quota is counted in the same atomic step as the write: parallel creates cannot pass it.
        return Async.store(ctx, registry.createKey(key, p.plan().maxKeys())).compose(created -> created
                ? Future.succeededFuture()
                : Future.failedFuture(new Rejection(GatewayError.KEY_QUOTA_REACHED, "the " + p.plan().name()
                        + " plan allows " + p.plan().maxKeys() + " keys; revoke one first"))
        ).map(v -> {
            JsonObject out = Views.key(key, now);
            if (secret != null) {
                out.put("secret", secret);
            }
            return out;
        });
    }

    /** A new key's plan: the developer's when none is asked for, else the one asked for if not higher. */
    private String keyPlan(Plan requested, Plan developerPlan) {
        if (requested == null) {
            return developerPlan.name();
        }
        if (!plans.isWithin(requested.name(), developerPlan.name())) {
            throw new Rejection(GatewayError.PLAN_ABOVE_DEVELOPER, "a key's plan can be at most your own plan, "
                    + developerPlan.name() + " (plans, lowest first: " + String.join(", ", plans.names()) + ")");
        }
        return requested.name();
    }

    /** Final, also for a killed key: no later unkill brings it back. */
    private Future<JsonObject> revoke(RoutingContext ctx, Principal p) {
        return ownKey(ctx, p).compose(k -> Async.store(ctx, registry.updateKey(k.id(), key -> key.revoked(nowMillis.getAsLong()))))
                .compose(k -> k.isPresent() ? Future.succeededFuture(k.get()) : notFound(ctx))
                .compose(k -> purgeRevoked(ctx, p).map(v -> k))
                .map(k -> Views.key(k, nowMillis.getAsLong()));
    }

    /**
     * Deletes the developer's oldest revoked keys beyond {@code revokedKept}, so revoked keys cannot
     * pile up in the registry. The revocation has already succeeded: a failed purge is retried by the
     * next one, never reported to the caller.
     */
    private Future<Void> purgeRevoked(RoutingContext ctx, Principal p) {
        return Async.store(ctx, registry.keysOf(p.developerId())).compose(keys -> {
            List<ApiKey> revoked = keys.stream().filter(k -> k.status() == KeyStatus.REVOKED).toList(); // oldest first
            Future<Void> chain = Future.succeededFuture();
            for (ApiKey old : revoked.subList(0, Math.max(0, revoked.size() - revokedKept))) {
                chain = chain.compose(v -> Async.on(ctx, registry.deleteKey(old)));
            }
            return chain;
        }).otherwise(err -> null);
    }

    private Future<JsonObject> rotate(RoutingContext ctx, Principal p) {
        JsonObject body = JsonBodies.onlyFields(JsonBodies.object(ctx), Set.of("grace_seconds"));
        Object g = body.getValue("grace_seconds");
        long grace = DEFAULT_GRACE_SECONDS;
        if (g != null) {
            if (!(g instanceof Number n) || n.longValue() < 0 || n.longValue() > MAX_GRACE_SECONDS
                    || n.doubleValue() != n.longValue()) {
                throw new Rejection(GatewayError.INVALID_PARAMETER,
                        "'grace_seconds' must be a whole number from 0 to " + MAX_GRACE_SECONDS);
            }
            grace = n.longValue();
        }
        long graceMillis = grace * 1000;
        String secret = ApiSecrets.newSecret();
        String hash = ApiSecrets.hash(secret);
        long now = nowMillis.getAsLong();
        // The status is checked on the stored key at the moment of the write (updateKey's
        // compare-and-set), so a kill or revocation that lands first is never overwritten.
        return ownKey(ctx, p).compose(k -> Async.store(ctx, registry.updateKey(k.id(), current -> {
            if (current.type() != KeyType.SECRET) {
                throw new Rejection(GatewayError.WRONG_KEY_TYPE,
                        "an Ed25519 key has no secret to rotate: register a new key with the new public key");
            }
            if (current.status() != KeyStatus.ACTIVE) {
                throw new Rejection(current.status() == KeyStatus.KILLED ? GatewayError.KEY_KILLED
                        : GatewayError.KEY_REVOKED);
            }
            return current.rotated(hash, now + graceMillis, now);
        }))).compose(k -> k.isPresent() ? Future.succeededFuture(k.get()) : notFound(ctx))
                .map(rotated -> Views.key(rotated, now).put("secret", secret));
    }

    /**
     * Sets one of the developer's keys to a plan up to the developer's own (after the administrator raised the
     * developer's plan, their existing keys keep theirs until they are raised here). Applied to the key as stored
     * at the moment of the write; a revoked key stays as it is (-2004). Takes effect on every gateway at once
     * (the registry's change notice drops the cached key).
     */
    private Future<JsonObject> plan(RoutingContext ctx, Principal p) {
        Plan asked = JsonBodies.plan(JsonBodies.onlyFields(JsonBodies.requiredObject(ctx), Set.of("plan")), plans, true);
        String plan = keyPlan(asked, p.plan());
        return ownKey(ctx, p).compose(k -> Async.store(ctx, registry.updateKey(k.id(), current -> {
            if (current.status() == KeyStatus.REVOKED) {
                throw new Rejection(GatewayError.KEY_REVOKED, "this key is revoked: its plan no longer matters");
            }
            return current.withPlan(plan);
        }))).compose(k -> k.isPresent() ? Future.succeededFuture(k.get()) : notFound(ctx))
                .map(k -> Views.key(k, nowMillis.getAsLong()));
    }

    private Future<ApiKey> ownKey(RoutingContext ctx, Principal p) {
        String id = ctx.pathParam("key_id");
        return Async.store(ctx, registry.key(id)).compose(k -> k.isPresent() && k.get().developerId().equals(p.developerId())
                ? Future.succeededFuture(k.get())
                : Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "you have no key " + shorten(id))));
    }

    private static <T> Future<T> notFound(RoutingContext ctx) {
        return Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "you have no key "
                + shorten(ctx.pathParam("key_id"))));
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static KeyType parseType(String type) {
        return switch (type) {
            case "secret" -> KeyType.SECRET;
            case "ed25519" -> KeyType.ED25519;
            default -> throw new Rejection(GatewayError.INVALID_PARAMETER, "'type' must be 'secret' or 'ed25519'");
        };
    }

    static Set<Scope> parseScopes(Object v) {
        if (v == null) {
            return Set.of(Scope.MARKET_READ);
        }
        if (!(v instanceof JsonArray a) || a.isEmpty() || a.size() > Scope.values().length) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'scopes' must be a non-empty array of "
                    + "'market:read', 'trade', 'fix'");
        }
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (Object o : a) {
            Scope s = o instanceof String str ? Scope.fromWire(str).orElse(null) : null;
            if (s == null) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "unknown scope; use 'market:read', 'trade', 'fix'");
            }
            out.add(s);
        }
        return out;
    }

    static List<String> parseCidrs(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray a) || a.size() > MAX_CIDRS) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'allowed_cidrs' must be an array of at most "
                    + MAX_CIDRS + " address ranges");
        }
        List<String> out = new ArrayList<>();
        for (Object o : a) {
            if (!(o instanceof String s) || Cidr.parse(s).isEmpty()) {
                throw new Rejection(GatewayError.INVALID_PARAMETER,
                        "'allowed_cidrs' entries must be address ranges such as 203.0.113.0/24 or 2001:db8::/32");
            }
            out.add(s);
        }
        return out;
    }

    static long parseExpiry(String text, long now) {
        if (text == null) {
            return 0;
        }
        try {
            long at = Instant.parse(text).toEpochMilli();
            if (at <= now) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "'expires_at' must be in the future");
            }
            if (at >= org.opentrade.common.json.IsoTimes.YEAR_10000_MS) {
                // Instant takes years to ±1 000 000 000; the answer could not write such a time as RFC 3339.
                throw new Rejection(GatewayError.INVALID_PARAMETER, "'expires_at' must be before the year 10000");
            }
            return at;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'expires_at' must be an ISO-8601 time such as "
                    + "2027-01-31T00:00:00Z");
        }
    }
}
