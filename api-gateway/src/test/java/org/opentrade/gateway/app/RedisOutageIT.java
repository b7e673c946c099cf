package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.adapter.redis.RedisServerProcess;
import org.opentrade.gateway.port.Await;

/**
 * Redis killed mid-run: market data keeps flowing under the local share of the limit (no 5xx),
 * orders fail closed with 503 -3003, cancels pass, keys stay valid; all recovers when Redis returns.
 */
class RedisOutageIT {
    @TempDir
    Path dir;
    RedisServerProcess redis;
    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        // This YAML's gateway section replaces TestGateway's, so it names the data dir again.
        gw = TestGateway.start(dir, "gateway:\n  data_dir: " + dir.resolve("data") + "\n  store: redis\n  gateways: 4\nredis:\n  uri: " + redis.uri() + "\n"
                + "limits:\n  plans:\n    free:\n      weight_per_minute: 400\n", null, ApiGateway::configuredStores);
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        redis.close();
    }

    @Test
    void redisOutageFollowsTheFailurePolicy() throws Exception {
        String token = gw.signUpAndLogIn("ops@example.com");
        JsonObject key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade")));
        String[] auth = {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
        assertEquals(200, gw.get("/v1/market/instruments", auth).statusCode());
        assertEquals(200, gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", auth).statusCode());

        // Redis comes back with its data, as a persistent one does: gateways drop their cached keys
        // when their change channel is back (changes may have been missed) and read them again.
        redis.save();
        redis.kill();

        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> r = gw.get("/v1/market/instruments", auth);
            assertTrue(r.statusCode() == 200 || r.statusCode() == 429, r.statusCode() + " " + r.body());
            if (r.statusCode() == 200) {
                ok++;
            } else {
                limited++;
            }
        }
        // Locally each of 4 gateways admits 400 / 4 = 100 per minute (plus refill while the loop runs).
        assertTrue(ok >= 100 && ok <= 115, "admitted " + ok);
        assertTrue(limited > 0);
        assertTrue(gw.gateway.degradedLimitDecisions() >= 300);

        HttpResponse<String> order = gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", auth);
        assertEquals(503, order.statusCode(), order.body());
        assertEquals(-3003, new JsonObject(order.body()).getInteger("error_no"));
        HttpResponse<String> cancel = gw.send(gw.request("/v1/orders/42").DELETE()
                .header(auth[0], auth[1]).header(auth[2], auth[3]));
        assertEquals(200, cancel.statusCode(), cancel.body());
        HttpResponse<String> cancelAll = gw.send(gw.request("/v1/orders").DELETE()
                .header(auth[0], auth[1]).header(auth[2], auth[3]));
        assertEquals(200, cancelAll.statusCode(), cancelAll.body());

        redis.restart();
        Await.until(java.time.Duration.ofSeconds(15), () -> {
            try {
                return gw.post("/v1/orders", "{\"symbol\":\"600001.SH\"}", auth).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
