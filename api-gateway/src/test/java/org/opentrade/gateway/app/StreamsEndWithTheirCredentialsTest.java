package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket authorised at upgrade ends when its credential does: revoked, killed, developer
 * suspended, key expired, session expired. Real gateway, fake upstream WebSocket service.
 */
class StreamsEndWithTheirCredentialsTest {
    @TempDir
    Path dir;
    StreamKit kit;
    TestGateway gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (kit != null) {
            kit.close();
        }
    }

    private void start(String yaml) throws Exception {
        kit = new StreamKit();
        gw = TestGateway.start(dir, yaml, kit.upstreams(), ApiGateway::embeddedStores);
    }

    private JsonObject marketKey(String token, JsonObject extra) throws Exception {
        return gw.createKey(token, extra.put("scopes", new JsonArray().add("market:read")));
    }

    private StreamKit.Stream openWithKey(JsonObject key) throws Exception {
        StreamKit.Stream s = kit.open(gw.port(), "/v1/stream/market", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret"));
        assertEquals("hello", s.nextMessage());
        return s;
    }

    private static void assertClosedWith(StreamKit.Stream s, int errorNo) throws Exception {
        assertEquals((short) 1008, s.closeCode(), s.awaitClose());
        JsonObject reason = s.closeReason();
        assertEquals(errorNo, reason.getInteger("error_no"), reason.encode());
        assertTrue(reason.getString("error").length() > 0);
        assertTrue(reason.getString("trace_id").matches("[0-9a-f]{32}"), reason.encode());
    }

    @Test
    void aStreamIsClosedWhenItsKeyIsRevokedAndAnotherKeysStreamFlowsOn() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("revoke@example.com");
        JsonObject key = marketKey(token, new JsonObject());
        JsonObject other = marketKey(token, new JsonObject());
        StreamKit.Stream s = openWithKey(key);
        StreamKit.Stream untouched = openWithKey(other);

        assertEquals(200, gw.send(gw.request("/v1/keys/" + key.getString("key_id"))
                .header("Authorization", "Bearer " + token).DELETE()).statusCode());

        assertClosedWith(s, -2004);
        kit.send(untouched, "still here");
        assertEquals("still here", untouched.nextMessage());
    }

    @Test
    void aStreamIsClosedWhenItsKeyIsKilled() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("kill@example.com");
        JsonObject key = marketKey(token, new JsonObject());
        StreamKit.Stream s = openWithKey(key);

        assertEquals(200, gw.post("/v1/admin/keys/" + key.getString("key_id") + "/kill", "",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN).statusCode());

        assertClosedWith(s, -2016);
    }

    @Test
    void keyAndSessionStreamsAreClosedWhenTheDeveloperIsSuspended() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("suspend@example.com");
        String devId = new JsonObject(gw.get("/v1/developers/me", "Authorization", "Bearer " + token).body())
                .getString("developer_id");
        StreamKit.Stream byKey = openWithKey(marketKey(token, new JsonObject()));
        StreamKit.Stream bySession = kit.open(gw.port(), "/v1/stream/market", "Authorization", "Bearer " + token);
        assertEquals("hello", bySession.nextMessage());

        assertEquals(200, gw.post("/v1/admin/developers/" + devId + "/suspend", "",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN).statusCode());

        assertClosedWith(byKey, -2015);
        assertClosedWith(bySession, -2015);
    }

    @Test
    void sessionStreamsEndWhenThePasswordChangesOrEverySessionIsLoggedOutAndKeyStreamsFlowOn() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("password@example.com");
        StreamKit.Stream byKey = openWithKey(marketKey(token, new JsonObject()));
        StreamKit.Stream bySession = kit.open(gw.port(), "/v1/stream/market", "Authorization", "Bearer " + token);
        assertEquals("hello", bySession.nextMessage());

        var changed = gw.put("/v1/developers/me/password", new JsonObject().put("current_password", "correct horse battery")
                .put("new_password", "a brand new passphrase").encode(), "Authorization", "Bearer " + token);
        assertEquals(200, changed.statusCode(), changed.body());

        assertClosedWith(bySession, -2011);
        kit.send(byKey, "keys are not sessions");
        assertEquals("keys are not sessions", byKey.nextMessage());
        String fresh = new JsonObject(changed.body()).getString("token");
        StreamKit.Stream onTheNewSession = kit.open(gw.port(), "/v1/stream/market", "Authorization", "Bearer " + fresh);
        assertEquals("hello", onTheNewSession.nextMessage());

        assertEquals(200, gw.send(gw.request("/v1/sessions").header("Authorization", "Bearer " + fresh).DELETE())
                .statusCode());
        assertClosedWith(onTheNewSession, -2011);
    }

    @Test
    void aStreamIsClosedWhenItsKeyExpires() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("expiry@example.com");
        JsonObject key = marketKey(token, new JsonObject().put("expires_at", Instant.now().plusSeconds(3).toString()));
        StreamKit.Stream s = openWithKey(key);

        assertClosedWith(s, -2005);
    }

    @Test
    void aSessionStreamIsClosedWhenTheSessionTokenExpires() throws Exception {
        start("auth:\n  password_memory_kib: 1024\n  password_iterations: 1\n  admin_token: "
                + TestGateway.ADMIN_TOKEN + "\n  session_ttl: 3s\n");
        String token = gw.signUpAndLogIn("session@example.com");
        StreamKit.Stream s = kit.open(gw.port(), "/v1/stream/market", "Authorization", "Bearer " + token);
        assertEquals("hello", s.nextMessage());

        assertClosedWith(s, -2011);
    }

    @Test
    void aPlanChangeOfTheDeveloperLeavesTheirStreamsOpen() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("plan@example.com");
        String devId = new JsonObject(gw.get("/v1/developers/me", "Authorization", "Bearer " + token).body())
                .getString("developer_id");
        StreamKit.Stream s = openWithKey(marketKey(token, new JsonObject()));

        assertEquals(200, gw.put("/v1/admin/developers/" + devId + "/plan", "{\"plan\":\"pro\"}",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN).statusCode());
        // A change after the plan change, seen only once the plan change has been handled.
        assertEquals(200, gw.post("/v1/admin/developers/" + devId + "/suspend", "",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN).statusCode());

        assertClosedWith(s, -2015);
    }
}
