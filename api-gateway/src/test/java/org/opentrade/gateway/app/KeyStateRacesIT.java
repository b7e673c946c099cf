package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways on one real Redis, key operations sent to both at once: the checks that guard a key's
 * state (its status, the developer's key quota) hold however the requests interleave.
 */
class KeyStateRacesIT {
    static final int MAX_KEYS = 3;

    @TempDir
    Path dir;
    GatewayPair pair;
    TestGateway a;
    TestGateway b;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        // Key changes per minute high enough that only the quota and the key states decide: the
        // per-developer change limit has its own test (KeyManagementGrowthTest).
        pair = GatewayPair.start(dir, "limits:\n  key_changes_per_minute: 100000\n  plans:\n    free:\n      max_keys: " + MAX_KEYS
                + "\n    pro:\n      max_keys: 1000\n");
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
    void concurrentKeyCreatesNeverExceedThePlansKeyQuota() throws Exception {
        String token = a.signUpAndLogIn("many@example.com");
        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            TestGateway gw = i % 2 == 0 ? a : b;
            creates.add(send(gw.request("/v1/keys").header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"market:read\"]}"))));
        }
        int created = 0;
        for (CompletableFuture<HttpResponse<String>> c : creates) {
            HttpResponse<String> r = c.get(30, TimeUnit.SECONDS);
            if (r.statusCode() == 201) {
                created++;
            } else {
                assertEquals(-2018, new JsonObject(r.body()).getInteger("error_no"), r.body());
            }
        }
        assertEquals(MAX_KEYS, created);
        JsonArray keys = new JsonObject(a.get("/v1/keys", "Authorization", "Bearer " + token).body()).getJsonArray("keys");
        assertEquals(MAX_KEYS, keys.size());
    }

    @Test
    void aRotationRacingAKillNeverLeavesTheKeyActive() throws Exception {
        String token = a.signUpAndLogIn("racer@example.com");
        String devId = new JsonObject(a.get("/v1/developers/me", "Authorization", "Bearer " + token).body())
                .getString("developer_id");
        a.put("/v1/admin/developers/" + devId + "/plan", "{\"plan\":\"pro\"}", "X-Admin-Token", TestGateway.ADMIN_TOKEN);
        for (int round = 0; round < 40; round++) {
            String id = a.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")))
                    .getString("key_id");
            CompletableFuture<HttpResponse<String>> rotate = send(a.request("/v1/keys/" + id + "/rotate")
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"grace_seconds\":0}")));
            CompletableFuture<HttpResponse<String>> kill = send(b.request("/v1/admin/keys/" + id + "/kill")
                    .header("X-Admin-Token", TestGateway.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, kill.get(30, TimeUnit.SECONDS).statusCode());
            rotate.get(30, TimeUnit.SECONDS);
            String status = statusOf(id);
            assertEquals("killed", status, "round " + round + ": a kill answered 200 but the key is " + status);
        }
    }

    @Test
    void aRevokedKeyStaysRevokedWhenAnAdministratorLiftsAKill() throws Exception {
        String token = a.signUpAndLogIn("gone@example.com");
        JsonObject key = a.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        String id = key.getString("key_id");
        b.post("/v1/admin/keys/" + id + "/kill", "", "X-Admin-Token", TestGateway.ADMIN_TOKEN);
        assertEquals(200, a.send(a.request("/v1/keys/" + id).header("Authorization", "Bearer " + token).DELETE())
                .statusCode());
        b.post("/v1/admin/keys/" + id + "/unkill", "", "X-Admin-Token", TestGateway.ADMIN_TOKEN);

        assertEquals("revoked", statusOf(id));
        for (TestGateway gw : new TestGateway[] {a, b}) {
            HttpResponse<String> r = gw.get("/v1/market/quotes", "X-API-Key", id, "X-API-Secret", key.getString("secret"));
            assertNotEquals(200, r.statusCode(), r.body());
            assertEquals(-2004, new JsonObject(r.body()).getInteger("error_no"), r.body());
        }
    }

    @Test
    void aSuspensionRacingAPlanChangeIsNeverLost() throws Exception {
        String token = a.signUpAndLogIn("suspect@example.com");
        String devId = new JsonObject(a.get("/v1/developers/me", "Authorization", "Bearer " + token).body())
                .getString("developer_id");
        for (int round = 0; round < 40; round++) {
            String plan = round % 2 == 0 ? "pro" : "free";
            CompletableFuture<HttpResponse<String>> change = send(a.request("/v1/admin/developers/" + devId + "/plan")
                    .header("X-Admin-Token", TestGateway.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"plan\":\"" + plan + "\"}")));
            CompletableFuture<HttpResponse<String>> suspend = send(b.request("/v1/admin/developers/" + devId + "/suspend")
                    .header("X-Admin-Token", TestGateway.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, suspend.get(30, TimeUnit.SECONDS).statusCode());
            assertEquals(200, change.get(30, TimeUnit.SECONDS).statusCode());
            JsonObject stored = developer(devId);
            assertEquals(true, stored.getBoolean("suspended"), "round " + round + ": a suspension answered 200 but "
                    + "the developer is " + stored);
            assertEquals(plan, stored.getString("plan"), "round " + round + ": a plan change answered 200 but the "
                    + "developer is " + stored);
            assertEquals(200, a.post("/v1/admin/developers/" + devId + "/unsuspend", "", "X-Admin-Token",
                    TestGateway.ADMIN_TOKEN).statusCode());
        }
    }

    private JsonObject developer(String developerId) throws Exception {
        JsonArray developers = new JsonObject(a.get("/v1/admin/developers", "X-Admin-Token", TestGateway.ADMIN_TOKEN)
                .body()).getJsonArray("developers");
        for (int i = 0; i < developers.size(); i++) {
            if (developers.getJsonObject(i).getString("developer_id").equals(developerId)) {
                return developers.getJsonObject(i);
            }
        }
        throw new AssertionError("no developer " + developerId);
    }

    private String statusOf(String keyId) throws Exception {
        JsonArray keys = new JsonObject(a.get("/v1/admin/keys", "X-Admin-Token", TestGateway.ADMIN_TOKEN).body())
                .getJsonArray("keys");
        for (int i = 0; i < keys.size(); i++) {
            if (keys.getJsonObject(i).getString("key_id").equals(keyId)) {
                return keys.getJsonObject(i).getString("status");
            }
        }
        throw new AssertionError("no key " + keyId);
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
