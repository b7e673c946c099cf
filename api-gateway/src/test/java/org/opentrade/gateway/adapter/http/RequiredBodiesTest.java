package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.app.TestGateway;

/** A body the OpenAPI contract marks required is required: no bytes answer 400 -1002 naming it. */
class RequiredBodiesTest extends SignedInGateway {
    private static void assertBodyRequired(HttpResponse<String> r) {
        assertEquals(400, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(-1002, body.getInteger("error_no"), r.body());
        assertTrue(body.getString("error").contains("request body is required"), r.body());
        assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
    }

    @Test
    void keyCreationWithoutABodyIsRefusedWith1002() throws Exception {
        assertBodyRequired(gw.post("/v1/keys", "", "Authorization", "Bearer " + token));
    }

    @Test
    void keyCreationWithAnEmptyObjectTakesTheDefaults() throws Exception {
        HttpResponse<String> r = gw.post("/v1/keys", "{}", "Authorization", "Bearer " + token);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(new JsonArray().add("market:read"), new JsonObject(r.body()).getJsonArray("scopes"));
    }

    @Test
    void signUpAndLogInWithoutABodyAreRefusedWith1002() throws Exception {
        assertBodyRequired(gw.post("/v1/developers", ""));
        assertBodyRequired(gw.post("/v1/sessions", ""));
    }

    @Test
    void adminPlanChangesWithoutABodyAreRefusedWith1002() throws Exception {
        JsonObject key = gw.createKey(token, new JsonObject());
        String developerId = new JsonObject(gw.get("/v1/developers/me", "Authorization", "Bearer " + token).body())
                .getString("developer_id");
        assertBodyRequired(gw.put("/v1/admin/keys/" + key.getString("key_id") + "/plan", "",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN));
        assertBodyRequired(gw.put("/v1/admin/developers/" + developerId + "/plan", "",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN));
    }

    @Test
    void anOrderWithoutABodyIsRefusedWith1002() throws Exception {
        JsonObject key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("trade")));
        assertBodyRequired(gw.post("/v1/orders", "", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret")));
    }
}
