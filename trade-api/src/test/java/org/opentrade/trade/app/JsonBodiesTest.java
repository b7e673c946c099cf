package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * trade-api reads a body only as {@code application/json}, as the gateway does (common's {@code JsonMediaType}):
 * a body with no Content-Type, or another type, is refused 415 -1006 in the error model before it is read, and
 * changes nothing. A body without a type used to be parsed as JSON here.
 */
class JsonBodiesTest extends TradeHarnessTest {
    private static final String[] NOT_JSON = {null, "text/plain", "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded", "application/jsonp", "application/json-seq", "text/json"};

    private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, String contentType, String body)
            throws Exception {
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        return TradeHarness.await(request.sendBuffer(Buffer.buffer(body)));
    }

    private static void assertRefused(HttpResponse<Buffer> r, String what) {
        assertEquals(415, r.statusCode(), what + ": " + r.bodyAsString());
        JsonObject body = r.bodyAsJsonObject();
        assertEquals(-1006, body.getInteger("error_no"), what);
        assertEquals(32, body.getString("trace_id").length(), what);
    }

    @Test
    void anOrderWithoutAJsonContentTypeIsRefusedAndNotPlaced() throws Exception {
        String order = TradeHarness.limit("typeless-1", "600000.SH", "buy", "10.00", 100).encode();
        for (String type : NOT_JSON) {
            assertRefused(send(h.request(HttpMethod.POST, "dev_tara", "/v1/orders"), type, order), "POST /v1/orders as " + type);
        }
        JsonObject orders = h.get("dev_tara", "/v1/orders?status=all").bodyAsJsonObject();
        assertEquals(0, orders.getJsonArray("items").size(), "no order was placed: " + orders);
        HttpResponse<Buffer> json = send(h.request(HttpMethod.POST, "dev_tara", "/v1/orders"),
                "Application/JSON; charset=utf-8", order);
        assertTrue(json.statusCode() / 100 == 2, "the same order as JSON is placed: " + json.bodyAsString());
    }

    @Test
    void everyBodyReadingEndpointRefusesABodyWithoutAType() throws Exception {
        assertRefused(send(h.request(HttpMethod.POST, "dev_uma", "/v1/account/reset"), null,
                "{\"starting_balance\":\"5\"}"), "reset");
        assertRefused(send(h.request(HttpMethod.POST, "dev_uma", "/v1/account/kill-switch"), null,
                "{\"enabled\":true}"), "kill switch");
        assertRefused(send(h.request(HttpMethod.PATCH, "dev_uma", "/v1/orders/1"), null, "{\"qty\":200}"), "replace");
        assertRefused(send(h.request(HttpMethod.DELETE, "dev_uma", "/v1/positions/600000.SH"), null, "{}"), "close");
        assertRefused(send(h.request(HttpMethod.POST, null, "/admin/accounts/dev_uma/kill-switch")
                .putHeader("X-Admin-Token", "admin-token-for-tests"), null, "{\"enabled\":true}"), "admin kill switch");
        JsonObject account = h.get("dev_uma", "/v1/account").bodyAsJsonObject();
        assertEquals(false, account.getBoolean("kill_switch"), "not switched on: " + account);
        assertNotEquals("5.00", account.getString("cash"), "not reset: " + account);
    }

    @Test
    void aRequestWithoutABodyNeedsNoContentType() throws Exception {
        HttpResponse<Buffer> cancelAll = TradeHarness.await(h.request(HttpMethod.DELETE, "dev_vic", "/v1/orders").send());
        assertNotEquals(415, cancelAll.statusCode(), cancelAll.bodyAsString());
        HttpResponse<Buffer> emptyBody = send(h.request(HttpMethod.POST, "dev_vic", "/v1/account/reset"), null, "");
        assertNotEquals(415, emptyBody.statusCode(), emptyBody.bodyAsString());
    }
}
