package org.opentrade.trade.adapter.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.opentrade.common.web.JsonMediaType;
import org.opentrade.trade.domain.TradeError;
import org.opentrade.trade.domain.desk.TradeDesk;

/**
 * The administrator's kill switch: {@code POST /admin/accounts/{account}/kill-switch} with
 * {@code {"enabled": true|false}} as {@code application/json} (else 415 -1006) and {@code X-Admin-Token}
 * (constant-time compare), on trade-api's own port (not routed by the gateway). On: new orders are refused
 * (-4110) and open ones canceled.
 */
public final class AdminRoutes {
    private AdminRoutes() {
    }

    public static void mount(Router router, TradeDesk desk, Supplier<String> adminToken) {
        router.post("/admin/accounts/:account/kill-switch").handler(ctx -> {
            String token = adminToken.get();
            String given = ctx.request().getHeader("X-Admin-Token");
            if (token == null || token.isEmpty() || given == null || !MessageDigest.isEqual(
                    given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                TradeHttp.fail(ctx, TradeError.ADMIN_REQUIRED, token == null || token.isEmpty()
                        ? "the admin endpoint is off (admin.token is empty)" : "X-Admin-Token is missing or wrong");
                return;
            }
            String refusal = JsonMediaType.refusal(ctx.request()); // before the body is read, as on /v1
            if (refusal != null) {
                TradeHttp.fail(ctx, TradeError.UNSUPPORTED_MEDIA_TYPE, refusal);
                return;
            }
            ctx.next();
        });
        router.post("/admin/accounts/:account/kill-switch").handler(BodyHandler.create(false).setBodyLimit(1024))
                .handler(ctx -> {
                    String account = ctx.pathParam("account");
                    JsonObject j;
                    try {
                        j = OrderBodies.object(ctx.body() == null ? null : ctx.body().buffer());
                    } catch (OrderBodies.BadBody e) {
                        TradeHttp.fail(ctx, e.error, e.getMessage());
                        return;
                    }
                    if (!(j.getValue("enabled") instanceof Boolean on) || account == null || account.length() > 64) {
                        TradeHttp.fail(ctx, TradeError.INVALID_PARAMETER, "the body must be {\"enabled\": true|false}");
                        return;
                    }
                    desk.setKillSwitch(account, on, "administrator", null).whenComplete((o, err) -> {
                        if (err != null) {
                            TradeHttp.internal(ctx, err);
                        } else {
                            TradeHttp.ok(ctx, 200, new JsonObject().put("account", account).put("kill_switch", on));
                        }
                    });
                });
    }
}
