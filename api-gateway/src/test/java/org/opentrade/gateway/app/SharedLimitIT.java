package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two gateways on one real Redis share each key's budget: together they admit no more than the limit. */
class SharedLimitIT {
    static final int LIMIT = 600;

    @TempDir
    Path dir;
    GatewayPair pair;
    TestGateway a;
    TestGateway b;

    @BeforeEach
    void start() throws Exception {
        pair = GatewayPair.start(dir, "limits:\n  plans:\n    free:\n      weight_per_minute: " + LIMIT + "\n");
        a = pair.a;
        b = pair.b;
    }

    @AfterEach
    void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void limitIsSharedAcrossTwoGateways() throws Exception {
        String token = a.signUpAndLogIn("quant@example.com");
        JsonObject key = a.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        HttpClient client = HttpClient.newHttpClient();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        int total = 3 * LIMIT;
        for (int i = 0; i < total; i++) {
            TestGateway gw = i % 2 == 0 ? a : b;
            HttpRequest req = gw.request("/v1/market/instruments").header("X-API-Key", key.getString("key_id"))
                    .header("X-API-Secret", key.getString("secret")).GET().build();
            inFlight.acquire();
            all.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                inFlight.release();
                if (e == null && r.statusCode() == 200) {
                    ok.incrementAndGet();
                } else if (e == null && r.statusCode() == 429) {
                    limited.incrementAndGet();
                } else {
                    other.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double elapsedMs = (System.nanoTime() - t0) / 1e6;
        // GCRA refills one unit every 60 000 / LIMIT ms while the run lasts.
        double bound = (LIMIT + Math.ceil(elapsedMs / (60_000.0 / LIMIT))) * 1.01;
        assertEquals(0, other.get(), "only 200 and 429 expected");
        assertTrue(ok.get() >= LIMIT, "the full budget is usable: " + ok.get());
        assertTrue(ok.get() <= bound, "admitted " + ok.get() + " > bound " + bound + " over " + elapsedMs + " ms");
        assertEquals(total, ok.get() + limited.get());
    }

    @Test
    void aKeyPlanChangeReachesEveryGatewayAtOnce() throws Exception {
        String token = a.signUpAndLogIn("upgraded@example.com");
        JsonObject key = a.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        String[] auth = {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
        assertEquals(String.valueOf(LIMIT), b.get("/v1/market/instruments", auth).headers()
                .firstValue("RateLimit-Limit").orElseThrow()); // now cached on b at the free plan

        assertEquals(200, a.put("/v1/admin/keys/" + key.getString("key_id") + "/plan", "{\"plan\":\"pro\"}",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN).statusCode());
        long t0 = System.nanoTime();
        org.opentrade.gateway.port.Await.until(java.time.Duration.ofSeconds(2), () -> "12000".equals(
                b.get("/v1/market/instruments", auth).headers().firstValue("RateLimit-Limit").orElse(null)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1_000, "the plan change reached the other gateway after " + ms + " ms (its cache TTL is 30 s)");
    }

    @Test
    void killSwitchBlocksTheKeyOnEveryGatewayAtOnce() throws Exception {
        String token = a.signUpAndLogIn("victim@example.com");
        JsonObject key = a.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        String[] auth = {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
        assertEquals(200, a.get("/v1/market/instruments", auth).statusCode());
        assertEquals(200, b.get("/v1/market/instruments", auth).statusCode()); // now cached on b

        assertEquals(200, a.post("/v1/admin/keys/" + key.getString("key_id") + "/kill", "", "X-Admin-Token",
                TestGateway.ADMIN_TOKEN).statusCode());
        long t0 = System.nanoTime();
        org.opentrade.gateway.port.Await.until(java.time.Duration.ofSeconds(2),
                () -> b.get("/v1/market/instruments", auth).statusCode() == 403);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1_000, "the kill reached the other gateway after " + ms + " ms (its cache TTL is 30 s)");
        assertEquals(-2016, new JsonObject(b.get("/v1/market/instruments", auth).body()).getInteger("error_no"));
    }
}
