package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;
import org.opentrade.gateway.domain.ApiSecrets;

/**
 * Each key has its own plan: its budget, its order rate, what /v1/limits and /v1/usage say; at most
 * its developer's plan when the developer picks it, any plan when an administrator does; a
 * developer's plan change lowers only the keys above it.
 */
class PerKeyPlansTest {
    static final String ADMIN = "X-Admin-Token";
    static final String PLANS = "limits:\n  plans:\n"
            + "    free:\n      weight_per_minute: 20\n      orders_per_second_per_symbol: 3\n"
            + "    pro:\n      weight_per_minute: 40\n      orders_per_second_per_symbol: 6\n      max_keys: 7\n"
            + "    partner:\n      weight_per_minute: 80\n      orders_per_second_per_symbol: 12\n";

    @TempDir
    Path dir;
    TestGateway gw;
    String token;
    String developerId;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(dir.resolve("gw"), PLANS);
        token = gw.signUpAndLogIn("plans@example.com");
        developerId = new JsonObject(gw.get("/v1/developers/me", "Authorization", "Bearer " + token).body())
                .getString("developer_id");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private HttpResponse<String> setDeveloperPlan(String plan) throws Exception {
        return gw.put("/v1/admin/developers/" + developerId + "/plan", new JsonObject().put("plan", plan).encode(),
                ADMIN, TestGateway.ADMIN_TOKEN);
    }

    private JsonObject key(String plan) throws Exception {
        JsonObject request = new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade"));
        return gw.createKey(token, plan == null ? request : request.put("plan", plan));
    }

    private static String[] auth(JsonObject key) {
        return new String[] {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
    }

    private static void assertError(HttpResponse<String> r, int status, int errorNo) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(errorNo, body.getInteger("error_no"), r.body());
        assertFalse(body.getString("error").isBlank());
    }

    private static String limitHeader(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("RateLimit-Limit").orElseThrow();
    }

    /** Depth calls (weight 5) that pass before the first 429. */
    private int depthCallsAdmitted(String[] auth) throws Exception {
        for (int n = 0; n < 100; n++) {
            HttpResponse<String> r = gw.get("/v1/market/depth/600000.SH", auth);
            if (r.statusCode() == 429) {
                assertEquals(-3001, new JsonObject(r.body()).getInteger("error_no"));
                return n;
            }
            assertEquals(200, r.statusCode(), r.body());
        }
        throw new AssertionError("never limited");
    }

    @Test
    void aNewKeyHasItsDevelopersPlanUnlessALowerOneIsAsked() throws Exception {
        assertEquals(200, setDeveloperPlan("pro").statusCode());

        JsonObject byDefault = key(null);
        JsonObject lower = key("free");
        JsonObject same = key("pro");

        assertEquals("pro", byDefault.getString("plan"));
        assertEquals("free", lower.getString("plan"));
        assertEquals("pro", same.getString("plan"));
        JsonArray listed = new JsonObject(gw.get("/v1/keys", "Authorization", "Bearer " + token).body()).getJsonArray("keys");
        assertEquals(List.of("pro", "free", "pro"), listed.stream().map(k -> ((JsonObject) k).getString("plan")).toList());
    }

    @Test
    void aKeyAboveItsDevelopersPlanOrOnAnUnknownPlanIsRefusedAndNotCreated() throws Exception {
        String[] session = {"Authorization", "Bearer " + token};

        assertError(gw.post("/v1/keys", "{\"plan\":\"pro\"}", session), 403, -2020);
        assertError(gw.post("/v1/keys", "{\"plan\":\"partner\"}", session), 403, -2020);
        assertError(gw.post("/v1/keys", "{\"plan\":\"gold\"}", session), 400, -1008);
        assertError(gw.post("/v1/keys", "{\"plan\":7}", session), 400, -1002);

        assertEquals(0, new JsonObject(gw.get("/v1/keys", session).body()).getJsonArray("keys").size());
        assertEquals(200, setDeveloperPlan("pro").statusCode());
        assertError(gw.post("/v1/keys", "{\"plan\":\"partner\"}", session), 403, -2020);
        assertEquals("pro", key("pro").getString("plan"));
    }

    @Test
    void twoKeysOfOneDeveloperOnDifferentPlansGetDifferentLimits() throws Exception {
        assertEquals(200, setDeveloperPlan("pro").statusCode());
        String[] pro = auth(key(null));
        String[] free = auth(key("free"));

        assertEquals("40", limitHeader(gw.get("/v1/market/instruments", pro)));
        assertEquals("20", limitHeader(gw.get("/v1/market/instruments", free)));
        assertEquals("40", limitHeader(gw.get("/v1/market/instruments", "Authorization", "Bearer " + token)),
                "a session has the developer's plan");

        JsonObject proLimits = new JsonObject(gw.get("/v1/limits", pro).body());
        JsonObject freeLimits = new JsonObject(gw.get("/v1/limits", free).body());
        assertEquals("pro", proLimits.getString("plan"));
        assertEquals(40, proLimits.getJsonObject("request_weight").getInteger("limit"));
        assertEquals(6, proLimits.getJsonObject("orders_per_symbol").getInteger("limit"));
        assertEquals("free", freeLimits.getString("plan"));
        assertEquals(20, freeLimits.getJsonObject("request_weight").getInteger("limit"));
        assertEquals(3, freeLimits.getJsonObject("orders_per_symbol").getInteger("limit"));
        for (JsonObject l : List.of(proLimits, freeLimits)) {
            assertEquals("pro", l.getString("developer_plan"));
            assertEquals(7, l.getInteger("max_keys"), "the key quota is the developer's plan's");
        }

        JsonObject usage = new JsonObject(gw.get("/v1/usage", "Authorization", "Bearer " + token).body());
        JsonObject plans = usage.getJsonObject("plans");
        assertEquals("pro", plans.getString(pro[1]));
        assertEquals("free", plans.getString(free[1]));
        assertEquals("pro", plans.getString("session:" + developerId));
        assertEquals(new JsonObject().put(free[1], "free"),
                new JsonObject(gw.get("/v1/usage", free).body()).getJsonObject("plans"));
    }

    @Test
    void aLowerPlanKeyIsRefusedEarlier() throws Exception {
        assertEquals(200, setDeveloperPlan("pro").statusCode());
        String[] pro = auth(key(null));
        String[] free = auth(key("free"));

        assertEquals(4, depthCallsAdmitted(free), "20 weight per minute at weight 5");
        assertEquals(8, depthCallsAdmitted(pro), "40 weight per minute at weight 5, untouched by the free key's spending");
    }

    @Test
    void aLowerPlanKeyHitsTheOrderRateEarlier() throws Exception {
        assertEquals(200, setDeveloperPlan("partner").statusCode());
        String[] partner = auth(key(null));
        String[] free = auth(key("free"));

        for (int i = 0; i < 3; i++) {
            assertEquals(200, gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", free).statusCode());
        }
        assertError(gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", free), 429, -3002);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", partner).statusCode(),
                    "order " + (i + 1) + " of a partner key (12 per second)");
        }
    }

    @Test
    void theAdminPlanRouteNeedsTheAdminTokenAKnownKeyAndAKnownPlan() throws Exception {
        String id = key(null).getString("key_id");
        String path = "/v1/admin/keys/" + id + "/plan";

        assertError(gw.put(path, "{\"plan\":\"pro\"}"), 401, -2017);
        assertError(gw.put(path, "{\"plan\":\"pro\"}", ADMIN, "wrong-token-wrong-token"), 401, -2017);
        assertError(gw.put("/v1/admin/keys/otk_nope/plan", "{\"plan\":\"pro\"}", ADMIN, TestGateway.ADMIN_TOKEN), 404, -1004);
        assertError(gw.put(path, "{\"plan\":\"gold\"}", ADMIN, TestGateway.ADMIN_TOKEN), 400, -1008);
        assertError(gw.put(path, "{}", ADMIN, TestGateway.ADMIN_TOKEN), 400, -1002);
        assertError(gw.put("/v1/admin/developers/" + developerId + "/plan", "{\"plan\":\"gold\"}", ADMIN,
                TestGateway.ADMIN_TOKEN), 400, -1008);

        JsonArray keys = new JsonObject(gw.get("/v1/admin/keys", ADMIN, TestGateway.ADMIN_TOKEN).body()).getJsonArray("keys");
        assertEquals("free", keys.getJsonObject(0).getString("plan"), "nothing changed by the refused calls");
    }

    @Test
    void anAdministratorMaySetAnyPlanOnAKeyAndItAppliesAtOnce() throws Exception {
        JsonObject key = key(null);
        String[] auth = auth(key);
        assertEquals("20", limitHeader(gw.get("/v1/market/instruments", auth))); // now cached

        HttpResponse<String> set = gw.put("/v1/admin/keys/" + key.getString("key_id") + "/plan", "{\"plan\":\"partner\"}",
                ADMIN, TestGateway.ADMIN_TOKEN);

        assertEquals(200, set.statusCode(), set.body());
        JsonObject view = new JsonObject(set.body());
        assertEquals("partner", view.getString("plan"), "above the developer's free plan: an administrator may");
        assertEquals(developerId, view.getString("developer_id"));
        assertEquals("80", limitHeader(gw.get("/v1/market/instruments", auth)));
        JsonArray listed = new JsonObject(gw.get("/v1/admin/keys", ADMIN, TestGateway.ADMIN_TOKEN).body()).getJsonArray("keys");
        assertEquals("partner", listed.getJsonObject(0).getString("plan"));
    }

    /** After a raise, a developer's existing keys kept their plan with no way to raise them but asking an administrator. */
    @Test
    void aDeveloperRaisesAKeyUpToTheirOwnPlanAndItAppliesAtOnce() throws Exception {
        JsonObject key = key(null);
        String[] auth = auth(key);
        String plan = "/v1/keys/" + key.getString("key_id") + "/plan";
        String session = "Bearer " + token;
        assertEquals("20", limitHeader(gw.get("/v1/market/instruments", auth))); // now cached
        assertError(gw.put(plan, "{\"plan\":\"pro\"}", "Authorization", session), 403, -2020);
        assertEquals(200, setDeveloperPlan("pro").statusCode());

        HttpResponse<String> raised = gw.put(plan, "{\"plan\":\"pro\"}", "Authorization", session);

        assertEquals(200, raised.statusCode(), raised.body());
        assertEquals("pro", new JsonObject(raised.body()).getString("plan"));
        assertEquals("40", limitHeader(gw.get("/v1/market/instruments", auth)), "at once, the cached key too");
        assertError(gw.put(plan, "{\"plan\":\"partner\"}", "Authorization", session), 403, -2020);
        assertError(gw.put(plan, "{\"plan\":\"gold\"}", "Authorization", session), 400, -1008);
        assertError(gw.put(plan, "{\"plan\":\"free\",\"status\":\"active\"}", "Authorization", session), 400, -1002);
        assertError(gw.put(plan, "{\"plan\":\"free\"}", auth), 401, -2001);
        assertEquals("pro", plansListed().get(0), "nothing else changed it");

        String other = gw.signUpAndLogIn("someone-else@example.com");
        assertError(gw.put(plan, "{\"plan\":\"free\"}", "Authorization", "Bearer " + other), 404, -1004);
        assertEquals(200, gw.send(gw.request("/v1/keys/" + key.getString("key_id")).DELETE()
                .header("Authorization", session)).statusCode());
        assertError(gw.put(plan, "{\"plan\":\"free\"}", "Authorization", session), 401, -2004);
    }

    @Test
    void aDevelopersPlanChangeLowersOnlyTheKeysAboveTheNewPlan() throws Exception {
        assertEquals(200, setDeveloperPlan("partner").statusCode());
        JsonObject partnerKey = key(null);
        JsonObject proKey = key("pro");
        JsonObject freeKey = key("free");
        String[] partnerAuth = auth(partnerKey);
        assertEquals("80", limitHeader(gw.get("/v1/market/instruments", partnerAuth))); // now cached

        HttpResponse<String> down = setDeveloperPlan("pro");

        assertEquals(200, down.statusCode(), down.body());
        JsonObject dev = new JsonObject(down.body());
        assertEquals("pro", dev.getString("plan"));
        assertEquals(new JsonArray().add(partnerKey.getString("key_id")), dev.getJsonArray("lowered_keys"));
        assertEquals("40", limitHeader(gw.get("/v1/market/instruments", partnerAuth)), "lowered at once");
        assertEquals(List.of("pro", "pro", "free"), plansListed());

        HttpResponse<String> up = setDeveloperPlan("partner");

        assertEquals(new JsonArray(), new JsonObject(up.body()).getJsonArray("lowered_keys"));
        assertEquals(List.of("pro", "pro", "free"), plansListed(), "a raise leaves the keys' plans alone");
        assertEquals("partner", key(null).getString("plan"), "but new keys default to the new plan");
        assertEquals("20", limitHeader(gw.get("/v1/market/instruments", auth(freeKey))));
        assertEquals("40", limitHeader(gw.get("/v1/market/instruments", auth(proKey))));
    }

    @Test
    void theKeyQuotaStaysTheDevelopersPlansWhateverTheKeysPlans() throws Exception {
        assertEquals(200, setDeveloperPlan("pro").statusCode());
        for (int i = 0; i < 7; i++) {
            key("free");
        }
        assertError(gw.post("/v1/keys", "{\"plan\":\"free\"}", "Authorization", "Bearer " + token), 409, -2018);
    }

    @Test
    void aKeyStoredBeforePlansWorksAtItsDevelopersPlan() throws Exception {
        Path old = dir.resolve("old");
        Files.createDirectories(old.resolve("data"));
        String secret = "ots_a-secret-from-before-per-key-plans";
        Files.writeString(old.resolve("data/registry.json"), new JsonObject()
                .put("developers", new JsonArray().add(new JsonObject().put("id", "dev-old").put("email", "old@example.com")
                        .put("name", "Old").put("passwordHash", "$argon2id$unused").put("plan", "pro")
                        .put("suspended", false).put("createdAt", 1000)))
                .put("keys", new JsonArray().add(new JsonObject().put("id", "otk_oldKeyFromBeforePlan").put("developerId", "dev-old")
                        .put("label", "").put("type", "SECRET").put("scopes", new JsonArray().add("MARKET_READ"))
                        .put("secretHashes", new JsonArray().add(ApiSecrets.hash(secret))).put("previousSecretUntil", 0)
                        .put("publicKey", null).put("allowedCidrs", new JsonArray()).put("expiresAt", 0)
                        .put("status", "ACTIVE").put("createdAt", 2000)))
                .encodePrettily());

        try (TestGateway before = TestGateway.start(old, PLANS)) {
            String[] auth = {"X-API-Key", "otk_oldKeyFromBeforePlan", "X-API-Secret", secret};
            assertEquals("40", limitHeader(before.get("/v1/market/instruments", auth)));
            assertEquals("pro", new JsonObject(before.get("/v1/limits", auth).body()).getString("plan"));
            assertEquals("pro", new JsonObject(before.get("/v1/admin/keys", ADMIN, TestGateway.ADMIN_TOKEN).body())
                    .getJsonArray("keys").getJsonObject(0).getString("plan"));

            HttpResponse<String> down = before.put("/v1/admin/developers/dev-old/plan", "{\"plan\":\"free\"}",
                    ADMIN, TestGateway.ADMIN_TOKEN);

            assertEquals(new JsonArray(), new JsonObject(down.body()).getJsonArray("lowered_keys"), "nothing stored to lower");
            assertEquals("20", limitHeader(before.get("/v1/market/instruments", auth)), "follows its developer at once");
        }
    }

    private List<String> plansListed() throws Exception {
        JsonArray keys = new JsonObject(gw.get("/v1/keys", "Authorization", "Bearer " + token).body()).getJsonArray("keys");
        assertTrue(keys.size() > 0);
        return keys.stream().map(k -> ((JsonObject) k).getString("plan")).toList();
    }
}
