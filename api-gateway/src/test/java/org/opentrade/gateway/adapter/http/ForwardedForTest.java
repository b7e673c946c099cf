package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;

/**
 * Behind trusted proxies (here the test client, on 127.0.0.1, plays the load balancer): the client is
 * the right-most address of all {@code X-Forwarded-For} lines that is not a trusted proxy, whatever
 * the client wrote to the left of what the proxies appended.
 */
class ForwardedForTest {
    @TempDir
    Path dir;
    TestGateway gw;
    String token;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(dir, "gateway:\n  data_dir: " + dir.resolve("data") + "\n"
                + "  trusted_proxies: [\"127.0.0.0/8\", \"10.0.0.0/8\"]\n"
                + "limits:\n  per_address_per_minute: 3\n");
        token = gw.signUpAndLogIn("proxy@example.com", "203.0.113.200");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private String[] keyAllowing(String cidr) throws Exception {
        JsonObject key = gw.createKey(token, new JsonObject().put("allowed_cidrs", new JsonArray().add(cidr)));
        return new String[] {key.getString("key_id"), key.getString("secret")};
    }

    private HttpResponse<String> quotes(String[] key, String... forwardedFor) throws Exception {
        HttpRequest.Builder b = gw.request("/v1/market/quotes").GET().header("X-API-Key", key[0])
                .header("X-API-Secret", key[1]);
        for (String line : forwardedFor) {
            b.header("X-Forwarded-For", line);
        }
        return gw.send(b);
    }

    private static void assertRefused2007(HttpResponse<String> r) {
        assertEquals(403, r.statusCode(), r.body());
        assertEquals(-2007, new JsonObject(r.body()).getInteger("error_no"));
    }

    @Test
    void aForgedFirstHeaderLineDoesNotPassTheAllowList() throws Exception {
        String[] key = keyAllowing("203.0.113.0/24");
        // The client sent the first line; the proxy appended the second with the client's real address.
        assertRefused2007(quotes(key, "203.0.113.5", "198.51.100.7"));
        assertEquals(200, quotes(key, "198.51.100.7", "203.0.113.5").statusCode());
    }

    @Test
    void theRightMostUntrustedAddressIsTheClient() throws Exception {
        String[] key = keyAllowing("203.0.113.0/24");
        assertRefused2007(quotes(key, "203.0.113.5, 198.51.100.7, 10.0.0.2"));
        assertRefused2007(quotes(key, "203.0.113.5", "198.51.100.7, 10.0.0.2", "10.9.9.9"));
        assertEquals(200, quotes(key, "198.51.100.7, 203.0.113.5, 10.0.0.2", "10.9.9.9").statusCode());
    }

    @Test
    void anOverlongForwardedForDoesNotMakeTheClientLookLikeTheProxy() throws Exception {
        String[] key = keyAllowing("127.0.0.0/8");
        String padding = "10.0.0.1, ".repeat(200);
        assertRefused2007(quotes(key, padding + "198.51.100.7"));
        assertRefused2007(quotes(key, padding, "198.51.100.7"));
    }

    @Test
    void anUnreadableHopLeavesTheClientUnknownAndTheAllowListRefuses() throws Exception {
        String[] key = keyAllowing("203.0.113.0/24");
        assertRefused2007(quotes(key, "203.0.113.5, not-an-address, 10.0.0.2"));
    }

    @Test
    void perAddressLogInLimitCountsTheAddressTheProxySaw() throws Exception {
        String body = "{\"email\":\"proxy@example.com\",\"password\":\"wrong password!\"}";
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = gw.send(gw.request("/v1/sessions").POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", "198.51.100." + i) // the attacker's forged line, new each time
                    .header("X-Forwarded-For", "192.0.2.66")); // what the proxy saw
            if (r.statusCode() == 429) {
                assertEquals(-3001, new JsonObject(r.body()).getInteger("error_no"));
                refused++;
            }
        }
        assertEquals(2, refused);
    }
}
