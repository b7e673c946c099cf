package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.app.TestGateway;

/**
 * The headers the HTTP contract promises beside the error model: {@code Allow} on a 405,
 * {@code WWW-Authenticate} naming the route's schemes on a 401, {@code RateLimit-*} on every
 * authenticated answer.
 */
class ResponseHeadersContractTest extends SignedInGateway {
    private static final String API_CHALLENGE = "Bearer realm=\"opentrade\", ApiKey realm=\"opentrade\"";
    private static final String SESSION_CHALLENGE = "Bearer realm=\"opentrade\"";

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = gw.request(path).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gw.send(b);
    }

    private static Set<String> allow(HttpResponse<String> r) {
        assertEquals(405, r.statusCode(), r.body());
        assertEquals(-1005, new JsonObject(r.body()).getInteger("error_no"));
        return Arrays.stream(r.headers().firstValue("Allow").orElseThrow(() -> new AssertionError("no Allow header"))
                .split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertRateLimitHeaders(HttpResponse<String> r) {
        for (String h : new String[] {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}) {
            assertTrue(r.headers().firstValue(h).orElse("").matches("\\d+"), h + " missing on " + r.uri() + ": "
                    + r.headers().map());
        }
    }

    private static void assertChallenge(HttpResponse<String> r, int errorNo, String challenge) {
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(errorNo, new JsonObject(r.body()).getInteger("error_no"));
        assertEquals(challenge, r.headers().firstValue("WWW-Authenticate").orElse(null), r.uri().toString());
    }

    @Test
    void a405NamesTheMethodsThePathSupportsInAllow() throws Exception {
        assertEquals(new TreeSet<>(Set.of("GET", "HEAD", "POST")), allow(send("DELETE", "/v1/keys")));
        assertEquals(Set.of("DELETE"), allow(send("GET", "/v1/keys/otk_00000000000000000000")));
        assertEquals(new TreeSet<>(Set.of("GET", "HEAD")), allow(send("POST", "/v1/market/depth/600000.SH")));
        assertEquals(new TreeSet<>(Set.of("GET", "HEAD", "DELETE", "PATCH")), allow(send("PUT", "/v1/orders/o-1")));
        assertEquals(Set.of("PUT"), allow(send("GET", "/v1/admin/keys/otk_00000000000000000000/plan",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN)));
    }

    @Test
    void a401OnAnApiRouteNamesTheBearerAndTheApiKeySchemes() throws Exception {
        assertChallenge(send("GET", "/v1/market/depth/600000.SH"), -2001, API_CHALLENGE);
        assertChallenge(send("GET", "/v1/limits"), -2001, API_CHALLENGE);
        JsonObject key = gw.createKey(token, new JsonObject());
        assertChallenge(send("GET", "/v1/market/depth/600000.SH", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", "ots_wrong"), -2003, API_CHALLENGE);
    }

    @Test
    void a401OnASessionOnlyRouteNamesTheBearerScheme() throws Exception {
        assertChallenge(send("GET", "/v1/keys"), -2001, SESSION_CHALLENGE);
        assertChallenge(send("GET", "/v1/developers/me", "Authorization", "Bearer nonsense"), -2012, SESSION_CHALLENGE);
        assertChallenge(gw.post("/v1/sessions", new JsonObject().put("email", "ada@example.com")
                .put("password", "not the password").encode()), -2013, SESSION_CHALLENGE);
    }

    @Test
    void a401OnAnAdminRouteNamesTheAdminTokenScheme() throws Exception {
        assertChallenge(send("GET", "/v1/admin/keys"), -2017, "AdminToken realm=\"opentrade\"");
    }

    @Test
    void everyAuthenticatedAnswerCarriesRateLimitHeaders() throws Exception {
        String bearer = "Bearer " + token;
        assertRateLimitHeaders(send("GET", "/v1/developers/me", "Authorization", bearer));
        assertRateLimitHeaders(send("GET", "/v1/keys", "Authorization", bearer));
        assertRateLimitHeaders(send("GET", "/v1/limits", "Authorization", bearer));
        assertRateLimitHeaders(send("GET", "/v1/usage", "Authorization", bearer));
        JsonObject key = gw.createKey(token, new JsonObject());
        assertRateLimitHeaders(send("GET", "/v1/market/depth/600000.SH", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret")));
        HttpResponse<String> noScope = send("POST", "/v1/orders", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret"));
        assertEquals(403, noScope.statusCode(), noScope.body());
        assertRateLimitHeaders(noScope);
        assertRateLimitHeaders(gw.post("/v1/keys", new JsonObject().put("scopes", new JsonArray().add("trade")).encode(),
                "Authorization", bearer));
    }

    @Test
    void aCallerRefusedForItsAddressInsideAuthenticationIsShownItsBudget() throws Exception {
        JsonObject key = gw.createKey(token, new JsonObject().put("allowed_cidrs", new JsonArray().add("203.0.113.0/24")));
        HttpResponse<String> refused = send("GET", "/v1/market/depth/600000.SH", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret"));
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals(-2007, new JsonObject(refused.body()).getInteger("error_no"));
        assertRateLimitHeaders(refused);
    }

    @Test
    void aWrongSecretIsNotShownTheKeysBudget() throws Exception {
        JsonObject key = gw.createKey(token, new JsonObject());
        HttpResponse<String> refused = send("GET", "/v1/market/depth/600000.SH", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", "ots_wrong");
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("RateLimit-Limit").isEmpty(), "only a caller who proved the key");
    }
}
