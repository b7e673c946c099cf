package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.ListPosition;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * {@code /v1/admin/*}, behind a separate admin credential ({@code X-Admin-Token}, checked by the
 * chain's {@link AuthenticationFilter}, also on admin paths that do not exist): list developers and keys (in pages of
 * {@link #MAX_PAGE}, {@code next_cursor} for the next), suspend a developer, change a developer's or a key's
 * plan, issue a developer a password-reset token, and the kill switch for a key. Changes go through the registry, whose change notifications
 * drop the entry from every gateway's cache, so a kill or a plan change takes effect everywhere at
 * once. Every admin action is logged (without the token).
 *
 * <p>A key's plan may be set to any plan, even above its developer's. A developer's plan change
 * leaves their keys' plans alone except those above the new plan, which are lowered to it: the
 * developer's plan stays the ceiling of what they pay for.
 */
public final class AdminRoutes {
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class.getName());

    /** How long a password-reset token is valid: an hour, as the usual reset links. */
    public static final int RESET_TOKEN_TTL_SECONDS = 3600;
    /** Developers or keys per page of a listing, at most and by default. */
    static final int MAX_PAGE = 1000;

    private final KeyRegistry registry;
    private final PlanCatalog plans;
    private final SessionTokens sessions;
    private final LongSupplier nowMillis;

    public AdminRoutes(KeyRegistry registry, PlanCatalog plans, SessionTokens sessions, LongSupplier nowMillis) {
        this.registry = registry;
        this.plans = plans;
        this.sessions = sessions;
        this.nowMillis = nowMillis;
    }

    /** The admin routes, then a catch-all that asks for the admin credential before a 404 or 405. */
    public List<GatewayRoute> routes() {
        return List.of(
                route("GET", "/v1/admin/developers", c -> {
                    ListPosition after = cursor(c);
                    int limit = limit(c);
                    return Async.store(c, registry.developers(after, limit)).map(ds -> {
                        JsonArray out = new JsonArray();
                        ds.forEach(d -> out.add(Views.developer(d)));
                        return new JsonObject().put("developers", out).put("next_cursor",
                                ds.size() < limit ? null : ListPosition.of(ds.get(ds.size() - 1)).cursor());
                    });
                }).withQuery("limit", "cursor"),
                route("GET", "/v1/admin/keys", c -> {
                    ListPosition after = cursor(c);
                    int limit = limit(c);
                    return Async.store(c, registry.keys(after, limit)).map(ks -> {
                        JsonArray out = new JsonArray();
                        long now = nowMillis.getAsLong();
                        ks.forEach(k -> out.add(adminView(k, now)));
                        return new JsonObject().put("keys", out).put("next_cursor",
                                ks.size() < limit ? null : ListPosition.of(ks.get(ks.size() - 1)).cursor());
                    });
                }).withQuery("limit", "cursor"),
                route("POST", "/v1/admin/developers/:developer_id/suspend", c -> developer(c, d -> d.withSuspended(true))),
                route("POST", "/v1/admin/developers/:developer_id/unsuspend", c -> developer(c, d -> d.withSuspended(false))),
                route("PUT", "/v1/admin/developers/:developer_id/plan",
                        c -> developerPlan(c, JsonBodies.plan(planChange(c), plans, true))),
                route("POST", "/v1/admin/developers/:developer_id/password-reset", this::passwordReset),
                route("POST", "/v1/admin/keys/:key_id/kill", c -> key(c, ApiKey::killed)),
                route("POST", "/v1/admin/keys/:key_id/unkill", c -> key(c, ApiKey::unkilled)),
                route("PUT", "/v1/admin/keys/:key_id/plan", c -> {
                    Plan plan = JsonBodies.plan(planChange(c), plans, true);
                    return key(c, k -> k.withPlan(plan.name()));
                }),
                GatewayRoute.catchAll("/v1/admin/*", Access.ADMIN));
    }

    /**
     * A password-reset token for the developer, valid {@link #RESET_TOKEN_TTL_SECONDS} and until used (or until
     * the password changes or every session is logged out), for the administrator to hand over: the gateway
     * sends no email. Issuing one changes nothing; the developer sets a new password with it at
     * {@code POST /v1/developers/password-reset}. Logged without the token.
     */
    private Future<JsonObject> passwordReset(RoutingContext c) {
        String id = c.pathParam("developer_id");
        return Async.store(c, registry.developer(id)).compose(d -> {
            if (d.isEmpty()) {
                return Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "no such developer"));
            }
            LOG.info("admin: password-reset token issued for developer " + id);
            return Future.succeededFuture(new JsonObject().put("developer_id", id)
                    .put("reset_token", sessions.issueReset(id, d.get().sessionGeneration(), RESET_TOKEN_TTL_SECONDS))
                    .put("expires_in", RESET_TOKEN_TTL_SECONDS));
        });
    }

    /**
     * A listing's page size: at most and by default {@link #MAX_PAGE}. Sign-ups are cheap (1 000 an hour by default,
     * each with up to max_keys + revoked_keys_kept keys), so whole lists grew without a bound of ours: a week of
     * that is millions of keys, which one answer read from the store and built as JSON on the event loop.
     */
    private static int limit(RoutingContext c) {
        String text = c.queryParams().get("limit");
        if (text == null) {
            return MAX_PAGE;
        }
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_PAGE) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'limit' must be a whole number from 1 to " + MAX_PAGE);
        }
        return Integer.parseInt(text);
    }

    /** The listing's position from {@code cursor} (a {@code next_cursor}); null for the first page. */
    private static ListPosition cursor(RoutingContext c) {
        String text = c.queryParams().get("cursor");
        return text == null ? null : ListPosition.parse(text).orElseThrow(() ->
                new Rejection(GatewayError.INVALID_PARAMETER, "'cursor' must be a next_cursor of this listing"));
    }

    /** A plan change's body (PlanChange): {@code plan} and nothing else. */
    private static JsonObject planChange(RoutingContext ctx) {
        return JsonBodies.onlyFields(JsonBodies.requiredObject(ctx), java.util.Set.of("plan"));
    }

    private static GatewayRoute route(String method, String template, Function<RoutingContext, Future<JsonObject>> action) {
        return GatewayRoute.platform(method, template, Access.ADMIN, 0, GatewayRoute.replying(200, action::apply));
    }

    /**
     * Applies {@code change} to the developer as stored at the moment of the write (the registry's
     * compare-and-set: a suspension racing a plan change keeps both); answers the developer as stored.
     */
    private Future<JsonObject> developer(RoutingContext c, UnaryOperator<Developer> change) {
        return updatedDeveloper(c, change).map(Views::developer);
    }

    private Future<Developer> updatedDeveloper(RoutingContext c, UnaryOperator<Developer> change) {
        String id = c.pathParam("developer_id");
        return Async.store(c, registry.updateDeveloper(id, change)).compose(d -> {
            if (d.isEmpty()) {
                return Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "no such developer"));
            }
            LOG.info("admin: developer " + id + " suspended=" + d.get().suspended() + " plan=" + d.get().plan());
            return Future.succeededFuture(d.get());
        });
    }

    /**
     * Sets the developer's plan, then lowers each of their keys above it to it. Not atomic across the
     * keys: should a key write fail the call answers -9003, and repeating it finishes the job.
     */
    private Future<JsonObject> developerPlan(RoutingContext ctx, Plan plan) {
        String id = ctx.pathParam("developer_id");
        return updatedDeveloper(ctx, d -> d.withPlan(plan.name()))
                .compose(updated -> Async.store(ctx, registry.keysOf(id))
                        .compose(keys -> lowerKeysAbove(ctx, keys, plan))
                        .map(lowered -> Views.developer(updated).put("lowered_keys", new JsonArray(lowered))));
    }

    private Future<List<String>> lowerKeysAbove(RoutingContext ctx, List<ApiKey> keys, Plan ceiling) {
        List<Future<Void>> writes = new ArrayList<>();
        List<String> lowered = new ArrayList<>();
        for (ApiKey k : keys) {
            if (!plans.isWithin(k.plan(), ceiling.name())) {
                LOG.info("admin: key " + k.id() + " plan " + k.plan() + " -> " + ceiling.name() + " (developer's new plan)");
                // Re-checked on the stored key: a key lowered or written meanwhile keeps what it has.
                writes.add(Async.store(ctx, registry.updateKey(k.id(), current -> plans.isWithin(current.plan(),
                        ceiling.name()) ? current : current.withPlan(ceiling.name()))).<Void>mapEmpty());
                lowered.add(k.id());
            }
        }
        return Future.all(writes).map(v -> lowered);
    }

    /**
     * Applies {@code change} to the key as stored at the moment of the write (the registry's
     * compare-and-set), unless it changes nothing; answers the key as stored afterwards.
     */
    private Future<JsonObject> key(RoutingContext ctx, UnaryOperator<ApiKey> change) {
        String id = ctx.pathParam("key_id");
        return Async.store(ctx, registry.updateKey(id, change)).compose(k -> {
            if (k.isEmpty()) {
                return Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "no such key"));
            }
            LOG.info("admin: key " + id + " status " + k.get().status() + " plan " + k.get().plan());
            return Future.succeededFuture(adminView(k.get(), nowMillis.getAsLong()));
        });
    }

    private static JsonObject adminView(ApiKey k, long now) {
        return Views.key(k, now).put("developer_id", k.developerId());
    }
}
