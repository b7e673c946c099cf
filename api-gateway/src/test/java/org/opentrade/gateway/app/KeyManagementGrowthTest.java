package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.port.Await;

/** One account cannot grow the gateway without bound through key management. */
class KeyManagementGrowthTest {
    @TempDir
    Path dir;
    TestGateway gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void keyChangesAreLimitedPerDeveloperWithTheErrorModel() throws Exception {
        gw = TestGateway.start(dir, null);
        String token = gw.signUpAndLogIn("ada@example.com");
        String keyId = gw.createKey(token, new JsonObject()).getString("key_id");
        HttpResponse<String> last = null;
        for (int i = 0; i < 100 && (last == null || last.statusCode() == 200); i++) {
            last = gw.post("/v1/keys/" + keyId + "/rotate", "{\"grace_seconds\":0}", "Authorization", "Bearer " + token);
        }
        assertEquals(429, last.statusCode(), last.body());
        JsonObject body = new JsonObject(last.body());
        assertEquals(-3001, body.getInteger("error_no"));
        assertTrue(last.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void keyManagementCallsAreMeteredForTheSession() throws Exception {
        gw = TestGateway.start(dir, null);
        String token = gw.signUpAndLogIn("ada@example.com");
        assertEquals(200, gw.get("/v1/keys", "Authorization", "Bearer " + token).statusCode());
        Await.until(Duration.ofSeconds(10), () -> {
            JsonArray rows = new JsonObject(gw.get("/v1/usage", "Authorization", "Bearer " + token).body())
                    .getJsonArray("rows");
            return rows.stream().map(JsonObject.class::cast).anyMatch(r -> r.getString("route").startsWith("GET /v1/keys"));
        });
    }

    @Test
    void everySessionRouteIsMeteredUnderItsTemplate() throws Exception {
        gw = TestGateway.start(dir, null);
        String token = gw.signUpAndLogIn("ada@example.com");
        String keyId = gw.createKey(token, new JsonObject()).getString("key_id");
        assertEquals(200, gw.post("/v1/keys/" + keyId + "/rotate", "{}", "Authorization", "Bearer " + token).statusCode());
        assertEquals(200, gw.get("/v1/developers/me", "Authorization", "Bearer " + token).statusCode());
        Await.until(Duration.ofSeconds(10), () -> {
            JsonArray rows = new JsonObject(gw.get("/v1/usage", "Authorization", "Bearer " + token).body())
                    .getJsonArray("rows");
            java.util.Set<String> routes = rows.stream().map(JsonObject.class::cast).map(r -> r.getString("route"))
                    .collect(java.util.stream.Collectors.toSet());
            return routes.containsAll(java.util.Set.of("POST /v1/keys", "POST /v1/keys/{key_id}/rotate",
                    "GET /v1/developers/me"));
        });
    }

    @Test
    void onlyTheNewestRevokedKeysOfADeveloperAreKept() throws Exception {
        gw = TestGateway.start(dir, "limits:\n  key_changes_per_minute: 1000\n  revoked_keys_kept: 3\n");
        String token = gw.signUpAndLogIn("ada@example.com");
        String first = null;
        for (int i = 0; i < 8; i++) {
            String id = gw.createKey(token, new JsonObject()).getString("key_id");
            first = first == null ? id : first;
            HttpResponse<String> revoked = gw.send(gw.request("/v1/keys/" + id).DELETE()
                    .header("Authorization", "Bearer " + token));
            assertEquals(200, revoked.statusCode(), revoked.body());
        }
        JsonArray keys = new JsonObject(gw.get("/v1/keys", "Authorization", "Bearer " + token).body()).getJsonArray("keys");
        assertEquals(3, keys.size(), keys.encode());
        HttpResponse<String> purged = gw.get("/v1/market/quotes", "X-API-Key", first, "X-API-Secret", "ots_x");
        assertEquals(401, purged.statusCode());
    }
}
