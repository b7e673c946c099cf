package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Bodies whose meaning depends on who reads them are refused: an object naming a member twice (400 -1001), and in
 * the fields people read (a developer's name, a key's label) control characters, direction marks and unpaired
 * surrogates (400 -1002). Bodies are written as JSON text here, escapes and all, as a client sends them.
 */
class AmbiguousAndUnprintableBodiesTest extends SignedInGateway {
    private static JsonObject refused(HttpResponse<String> r, int errorNo) {
        assertEquals(400, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(errorNo, body.getInteger("error_no"), r.body());
        assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
        return body;
    }

    private HttpResponse<String> signUp(String nameAsJson) throws Exception {
        return gw.post("/v1/developers", "{\"email\":\"n" + System.nanoTime() + "@example.com\","
                + "\"password\":\"long enough pw\",\"name\":" + nameAsJson + "}");
    }

    private HttpResponse<String> createKey(String body) throws Exception {
        return gw.post("/v1/keys", body, "Authorization", "Bearer " + token);
    }

    @Test
    void aBodyNamingAMemberTwiceIsRefusedOnEveryRouteThatReadsOne() throws Exception {
        JsonObject error = refused(gw.post("/v1/developers", "{\"email\":\"eve@example.com\",\"password\":\"long enough pw\","
                + "\"name\":\"Eve\",\"email\":\"ada@example.com\"}"), -1001);
        assertEquals("the request body is ambiguous: the member 'email' is named twice in one object", error.getString("error"));
        refused(gw.post("/v1/sessions", "{\"email\":\"ada@example.com\",\"password\":\"x\",\"password\":\"correct horse battery\"}"),
                -1001);
        refused(createKey("{\"scopes\":[\"market:read\"],\"scopes\":[\"trade\"]}"), -1001);
        // Nested and spelled with an escape, it is the same name.
        refused(createKey("{\"label\":\"a\",\"l\\u0061bel\":\"b\"}"), -1001);
        JsonArray keys = new JsonObject(gw.get("/v1/keys", "Authorization", "Bearer " + token).body()).getJsonArray("keys");
        assertEquals(0, keys.size(), "no key was made from an ambiguous body: " + keys);
    }

    @Test
    void aNameOrLabelWithCharactersThatCannotBeShownAsWrittenIsRefused() throws Exception {
        String[] unprintable = {"\"a\\u0000b\"", "\"Ada\\nAdmin: yes\"", "\"tab\\there\"", "\"\\u202Egnp.exe\"",
            "\"x\\u2066y\"", "\"\\u200Fz\"", "\"half \\ud800 pair\"", "\"\\udc00 low first\"", "\"end \\ud83d\"", "\"del\\u007f\""};
        for (String name : unprintable) {
            JsonObject e = refused(signUp(name), -1002);
            assertTrue(e.getString("error").startsWith("'name' must be printable text"), e.getString("error"));
            JsonObject k = refused(createKey("{\"label\":" + name + "}"), -1002);
            assertTrue(k.getString("error").startsWith("'label' must be printable text"), k.getString("error"));
        }
        assertTrue(refused(signUp("\"a\\u202Eb\""), -1002).getString("error").endsWith("(U+202E at index 1)"));
        for (String email : new String[] {"\"a\\u0000b@example.com\"", "\"a\\u202E@example.com\"", "\"\\u0001@example.com\""}) {
            JsonObject e = refused(gw.post("/v1/developers", "{\"email\":" + email + ",\"password\":\"long enough pw\","
                    + "\"name\":\"Ada\"}"), -1002);
            assertTrue(e.getString("error").startsWith("'email' must be printable text"), e.getString("error"));
        }
    }

    @Test
    void anyPrintableTextIsKeptAsWritten() throws Exception {
        for (String name : new String[] {"张三", "Zoë O'Brien-Łukasz", "Ada 🚀", "מרים", "<b>&amp;</b>"}) {
            HttpResponse<String> r = signUp(Json.encode(name));
            assertEquals(201, r.statusCode(), r.body());
            assertEquals(name, new JsonObject(r.body()).getString("name"));
            HttpResponse<String> k = createKey(new JsonObject().put("label", name).encode());
            assertEquals(201, k.statusCode(), k.body());
            assertEquals(name, new JsonObject(k.body()).getString("label"));
        }
    }
}
