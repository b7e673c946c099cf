package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * {@code /v1/admin/*}, behind a separate admin credential ({@code X-Admin-Token}, compared in
 * constant time): list developers and keys, suspend a developer, change a plan, and the kill switch
 * for a key. Changes go through the registry, whose change notifications drop the entry from every
 * gateway's cache, so a kill takes effect everywhere at once. Every admin action is logged (without
 * the token).
 */
public final class AdminRoutes {
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class.getName());

    private final KeyRegistry registry;
    private final PlanCatalog plans;
    private final byte[] token;
    private final LongSupplier nowMillis;

    public AdminRoutes(KeyRegistry registry, PlanCatalog plans, String adminToken, LongSupplier nowMillis) {
        if (adminToken == null || adminToken.length() < 16) {
            throw new IllegalArgumentException("the admin token must be at least 16 characters");
        }
        this.registry = registry;
        this.plans = plans;
        this.token = adminToken.getBytes(StandardCharsets.UTF_8);
        this.nowMillis = nowMillis;
    }

    public void mount(Router router) {
        router.route("/v1/admin/*").handler(this::requireAdmin);
        router.get("/v1/admin/developers").handler(ctx -> run(ctx, c -> Async.store(c, registry.developers()).map(ds -> {
            JsonArray out = new JsonArray();
            ds.forEach(d -> out.add(Views.developer(d)));
            return new JsonObject().put("developers", out);
        })));
        router.get("/v1/admin/keys").handler(ctx -> run(ctx, c -> Async.store(c, registry.keys()).map(ks -> {
            JsonArray out = new JsonArray();
            long now = nowMillis.getAsLong();
            ks.forEach(k -> out.add(Views.key(k, now).put("developer_id", k.developerId())));
            return new JsonObject().put("keys", out);
        })));
        router.post("/v1/admin/developers/:developer_id/suspend").handler(ctx -> developer(ctx, d -> d.withSuspended(true)));
        router.post("/v1/admin/developers/:developer_id/unsuspend").handler(ctx -> developer(ctx, d -> d.withSuspended(false)));
        router.put("/v1/admin/developers/:developer_id/plan").handler(ctx -> {
            String plan;
            try {
                plan = JsonBodies.string(JsonBodies.object(ctx), "plan", 1, 32, true);
                if (plans.find(plan).isEmpty()) {
                    throw new Rejection(GatewayError.INVALID_PARAMETER, "unknown plan; plans: "
                            + plans.all().stream().map(p -> p.name()).toList());
                }
            } catch (Rejection r) {
                HttpErrors.send(ctx, r.error(), r.getMessage());
                return;
            }
            developer(ctx, d -> d.withPlan(plan));
        });
        router.post("/v1/admin/keys/:key_id/kill").handler(ctx -> key(ctx, KeyStatus.KILLED));
        router.post("/v1/admin/keys/:key_id/unkill").handler(ctx -> key(ctx, KeyStatus.ACTIVE));
    }

    private void requireAdmin(RoutingContext ctx) {
        String given = ctx.request().getHeader("X-Admin-Token");
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            HttpErrors.send(ctx, GatewayError.ADMIN_REQUIRED);
            return;
        }
        ctx.next();
    }

    private void developer(RoutingContext ctx, Function<Developer, Developer> change) {
        String id = ctx.pathParam("developer_id");
        run(ctx, c -> Async.store(c, registry.developer(id)).compose(d -> {
            if (d.isEmpty()) {
                return Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "no such developer"));
            }
            Developer updated = change.apply(d.get());
            LOG.info("admin: developer " + id + " suspended=" + updated.suspended() + " plan=" + updated.plan());
            return Async.store(c, registry.updateDeveloper(updated)).map(v -> Views.developer(updated));
        }));
    }

    private void key(RoutingContext ctx, KeyStatus status) {
        String id = ctx.pathParam("key_id");
        run(ctx, c -> Async.store(c, registry.key(id)).compose(k -> {
            if (k.isEmpty()) {
                return Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "no such key"));
            }
            ApiKey current = k.get();
            if (status == KeyStatus.ACTIVE && current.status() != KeyStatus.KILLED) {
                return Future.succeededFuture(Views.key(current, nowMillis.getAsLong()));
            }
            ApiKey updated = current.withStatus(status);
            LOG.info("admin: key " + id + " set " + status);
            return Async.store(c, registry.putKey(updated)).map(v -> Views.key(updated, nowMillis.getAsLong())
                    .put("developer_id", updated.developerId()));
        }));
    }

    private static void run(RoutingContext ctx, Function<RoutingContext, Future<JsonObject>> action) {
        action.apply(ctx).onSuccess(body -> JsonBodies.send(ctx, 200, body)).onFailure(err -> Async.fail(ctx, err));
    }
}
