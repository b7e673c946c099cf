package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.port.Await;

/**
 * What one developer's streams may hold: at most {@code limits.streams_per_developer} open on a
 * gateway, and a stream opened with a secret that a rotation replaced ends when the rotation's grace
 * period does. Real gateway, fake upstream WebSocket service.
 */
class StreamLimitsTest {
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

    private JsonObject marketKey(String token) throws Exception {
        return gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
    }

    private StreamKit.Stream open(String keyId, String secret) throws Exception {
        StreamKit.Stream s = kit.open(gw.port(), "/v1/stream/market", "X-API-Key", keyId, "X-API-Secret", secret);
        assertEquals("hello", s.nextMessage());
        return s;
    }

    private static void assertClosedWith(StreamKit.Stream s, int errorNo) throws Exception {
        assertEquals((short) 1008, s.closeCode(), s.awaitClose());
        assertEquals(errorNo, s.closeReason().getInteger("error_no"), s.awaitClose());
    }

    private static void assertFlows(StreamKit kit, StreamKit.Stream s, String text) throws Exception {
        kit.send(s, text);
        assertEquals(text, s.nextMessage());
    }

    private String rotate(String token, String keyId, int graceSeconds) throws Exception {
        HttpResponse<String> r = gw.post("/v1/keys/" + keyId + "/rotate", "{\"grace_seconds\":" + graceSeconds + "}",
                "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body()).getString("secret");
    }

    /** A stream's answer never ends (it is upgraded): its opening is metered as a 101 when it opens. */
    @Test
    void streamOpeningsAreInTheUsage() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("metered@example.com");
        JsonObject a = marketKey(token);
        StreamKit.Stream first = open(a.getString("key_id"), a.getString("secret"));
        StreamKit.Stream second = open(a.getString("key_id"), a.getString("secret"));
        JsonObject row = null;
        for (int i = 0; i < 50 && row == null; i++) {
            HttpResponse<String> usage = gw.get("/v1/usage", "Authorization", "Bearer " + token);
            assertEquals(200, usage.statusCode(), usage.body());
            for (Object o : new JsonObject(usage.body()).getJsonArray("rows")) {
                JsonObject r = (JsonObject) o;
                if (r.getString("route").equals("GET /v1/stream/market") && r.getInteger("calls") == 2) {
                    row = r;
                }
            }
            if (row == null) {
                Thread.sleep(100); // the meter's flush
            }
        }
        assertTrue(row != null, "two stream openings in the usage");
        assertEquals(2, row.getInteger("calls_2xx"), row.encode());
        assertEquals(a.getString("key_id"), row.getString("key_id"));
        assertFlows(kit, first, "still open");
        assertFlows(kit, second, "still open");
    }

    @Test
    void aDevelopersStreamsBeyondTheCapAreRefusedWith3004UntilOneCloses() throws Exception {
        start("limits:\n  streams_per_developer: 2\n");
        String token = gw.signUpAndLogIn("many@example.com");
        JsonObject a = marketKey(token);
        JsonObject b = marketKey(token);
        StreamKit.Stream first = open(a.getString("key_id"), a.getString("secret"));
        open(b.getString("key_id"), b.getString("secret"));

        ExecutionException refused = assertThrows(ExecutionException.class, () -> kit.open(gw.port(),
                "/v1/stream/market", "X-API-Key", a.getString("key_id"), "X-API-Secret", a.getString("secret")));
        UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, refused.getCause());
        assertEquals(409, rejected.getStatus());
        JsonObject body = new JsonObject(rejected.getBody());
        assertEquals(-3004, body.getInteger("error_no"), body.encode());
        assertTrue(body.getString("trace_id").matches("[0-9a-f]{32}"));

        String other = gw.signUpAndLogIn("other@example.com");
        JsonObject c = marketKey(other);
        open(c.getString("key_id"), c.getString("secret")); // another developer has a cap of their own

        kit.vertx.runOnContext(v -> first.socket.close());
        first.awaitClose();
        Await.until(Duration.ofSeconds(15), () -> {
            try {
                open(a.getString("key_id"), a.getString("secret"));
                return true;
            } catch (ExecutionException e) {
                return false; // the gateway has not seen the close yet
            }
        });
    }

    @Test
    void aStreamOnARotatedOutSecretEndsWhenTheGracePeriodEnds() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("rotate@example.com");
        JsonObject key = marketKey(token);
        String keyId = key.getString("key_id");
        StreamKit.Stream old = open(keyId, key.getString("secret"));

        String fresh = rotate(token, keyId, 4);
        assertFlows(kit, old, "still in the grace period");
        StreamKit.Stream current = open(keyId, fresh);

        assertClosedWith(old, -2003);
        assertFlows(kit, current, "the new secret flows on");
        assertFalse(current.closed.isDone());
    }

    @Test
    void aStreamOpenedWithThePreviousSecretDuringTheGraceEndsWithIt() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("late@example.com");
        JsonObject key = marketKey(token);
        String keyId = key.getString("key_id");
        rotate(token, keyId, 4);

        StreamKit.Stream late = open(keyId, key.getString("secret"));
        assertClosedWith(late, -2003);
    }

    /** A rotation retried (its answer lost) keeps a stream on the original secret to the end of the new grace. */
    @Test
    void aStreamOnTheOriginalSecretOutlivesARetriedRotationUntilTheGraceEnds() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("retry@example.com");
        JsonObject key = marketKey(token);
        String keyId = key.getString("key_id");
        StreamKit.Stream old = open(keyId, key.getString("secret"));

        rotate(token, keyId, 4);
        rotate(token, keyId, 4);
        assertFlows(kit, old, "the original secret is still in the grace period");
        assertFalse(old.closed.isDone());
        assertClosedWith(old, -2003);
    }

    @Test
    void aRotationWithoutGraceEndsTheOldSecretsStreamAtOnce() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("nograce@example.com");
        JsonObject key = marketKey(token);
        StreamKit.Stream old = open(key.getString("key_id"), key.getString("secret"));
        rotate(token, key.getString("key_id"), 0);
        assertClosedWith(old, -2003);
    }
}
