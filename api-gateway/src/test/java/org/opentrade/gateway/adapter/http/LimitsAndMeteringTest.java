package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;

/** Weights, the order rate per key × symbol, 429 with Retry-After, cancels never throttled, usage and limits. */
class LimitsAndMeteringTest {
    @TempDir
    Path dir;
    TestGateway gw;
    String token;
    String[] auth;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(dir, "limits:\n  plans:\n    free:\n      weight_per_minute: 20\n"
                + "      orders_per_second_per_symbol: 3\n");
        token = gw.signUpAndLogIn("lim@example.com");
        JsonObject key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade")));
        auth = new String[] {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    @Test
    void weightsAreChargedAndTheBudgetEndsIn429WithRetryAfter() throws Exception {
        HttpResponse<String> depth = gw.get("/v1/market/depth/600000.SH", auth);
        assertEquals("15", depth.headers().firstValue("RateLimit-Remaining").orElseThrow());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, gw.get("/v1/market/depth/600000.SH", auth).statusCode());
        }
        HttpResponse<String> refused = gw.get("/v1/market/depth/600000.SH", auth);
        assertEquals(429, refused.statusCode());
        assertEquals(-3001, new JsonObject(refused.body()).getInteger("error_no"));
        long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertEquals("0", refused.headers().firstValue("RateLimit-Remaining").orElseThrow());
    }

    /** Times in and out are the contract's shape: RFC 3339 UTC with milliseconds, years 1970 to 9999. */
    @Test
    void usageAndKeyTimesKeepTheContractsShape() throws Exception {
        HttpResponse<String> far = gw.get("/v1/usage?to=%2B999999999-12-31T23:59:59Z", "Authorization", "Bearer " + token);
        assertEquals(400, far.statusCode(), far.body());
        assertEquals(-1002, new JsonObject(far.body()).getInteger("error_no"));
        JsonObject usage = new JsonObject(gw.get("/v1/usage?from=2026-12-05T09:00:00Z&to=2026-12-05T10:00:00Z",
                "Authorization", "Bearer " + token).body());
        assertEquals("2026-12-05T09:00:00.000Z", usage.getString("from"));
        assertEquals("2026-12-05T10:00:00.000Z", usage.getString("to"));
        // A window inside one minute is that minute; the minute `to` falls in counts; 7 days as given pass.
        JsonObject within = new JsonObject(gw.get("/v1/usage?from=2026-12-05T11:14:00Z&to=2026-12-05T11:14:30Z",
                "Authorization", "Bearer " + token).body());
        assertEquals("2026-12-05T11:14:00.000Z", within.getString("from"), within.encode());
        assertEquals("2026-12-05T11:15:00.000Z", within.getString("to"));
        assertEquals(200, gw.get("/v1/usage?from=2026-11-28T11:14:30Z&to=2026-12-05T11:14:30Z",
                "Authorization", "Bearer " + token).statusCode());
        assertEquals(400, gw.get("/v1/usage?from=2026-11-28T11:14:29Z&to=2026-12-05T11:14:30Z",
                "Authorization", "Bearer " + token).statusCode(), "a second over 7 days");
        assertEquals(400, gw.get("/v1/usage?from=2026-12-05T11:14:30Z&to=2026-12-05T11:14:30Z",
                "Authorization", "Bearer " + token).statusCode(), "from must be before to");
        JsonObject last = new JsonObject(gw.get("/v1/usage?from=9999-12-31T23:00:00Z&to=9999-12-31T23:59:30Z",
                "Authorization", "Bearer " + token).body());
        assertEquals("9999-12-31T23:00:00.000Z", last.getString("from"), last.encode());
        assertEquals("9999-12-31T23:59:00.000Z", last.getString("to"), "not rounded past 9999: " + last.encode());
        String at = java.time.Instant.now().plusSeconds(3_600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        JsonObject key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read"))
                .put("expires_at", at));
        assertEquals(at.replace("Z", ".000Z"), key.getString("expires_at"), "milliseconds kept when they are 0");
    }

    @Test
    void orderRateIsPerSymbolAndCancelsAreNeverThrottled() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", auth).statusCode());
        }
        HttpResponse<String> fourth = gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", auth);
        assertEquals(429, fourth.statusCode());
        assertEquals(-3002, new JsonObject(fourth.body()).getInteger("error_no"));
        assertTrue(fourth.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, gw.post("/v1/orders", "{\"symbol\":\"000001.SZ\"}", auth).statusCode());
        // Exhaust the weight budget, then cancels still pass.
        while (gw.get("/v1/market/depth/600000.SH", auth).statusCode() == 200) {
            // spend
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(200, gw.send(gw.request("/v1/orders/" + i).DELETE().header(auth[0], auth[1])
                    .header(auth[2], auth[3])).statusCode());
        }
        assertEquals(400, gw.post("/v1/orders", "{not json", auth).statusCode());
        // The symbol's limit is spent; naming another symbol second (or first) in the same body does not get through:
        // which one the service behind would read depends on its parser.
        for (String twice : new String[] {"{\"symbol\":\"600000.SH\",\"symbol\":\"600001.SH\"}",
                "{\"symbol\":\"600001.SH\",\"symbol\":\"600000.SH\"}", "{\"symbol\":\"600001.SH\",\"s\\u0079mbol\":\"600000.SH\"}"}) {
            HttpResponse<String> ambiguous = gw.post("/v1/orders", twice, auth);
            assertEquals(400, ambiguous.statusCode(), twice);
            JsonObject error = new JsonObject(ambiguous.body());
            assertEquals(-1001, error.getInteger("error_no"), ambiguous.body());
            assertEquals("the request body is ambiguous: the member 'symbol' is named twice in one object",
                    error.getString("error"));
        }
    }

    @Test
    void usageCountsCallsPerKeyRouteAndMinuteWithStatusClasses() throws Exception {
        gw.get("/v1/market/quotes?symbols=600000.SH", auth);
        gw.get("/v1/market/quotes?symbols=600000.SH", auth);
        gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", "X-API-Key", auth[1], "X-API-Secret", auth[3]);
        HttpResponse<String> usage = gw.get("/v1/usage", "Authorization", "Bearer " + token);
        assertEquals(200, usage.statusCode(), usage.body());
        JsonArray rows = new JsonObject(usage.body()).getJsonArray("rows");
        JsonObject quotes = find(rows, "GET /v1/market/quotes");
        assertEquals(2, quotes.getInteger("calls"));
        assertEquals(2, quotes.getInteger("calls_2xx"));
        assertEquals(auth[1], quotes.getString("key_id"));
        assertEquals(1, find(rows, "POST /v1/orders").getInteger("calls"));

        HttpResponse<String> own = gw.get("/v1/usage", auth);
        assertEquals(200, own.statusCode(), own.body());
        HttpResponse<String> limits = gw.get("/v1/limits", auth);
        JsonObject l = new JsonObject(limits.body());
        assertEquals("free", l.getString("plan"));
        assertEquals(20, l.getJsonObject("request_weight").getInteger("limit"));
        assertTrue(l.getJsonObject("request_weight").getInteger("remaining") < 20);
        assertEquals(5, l.getJsonObject("route_weights").getInteger("GET /v1/market/depth/{symbol}"));
    }

    /**
     * A week of a key called on four routes each minute (refusals count too, so the budget does not bound it) is
     * 12 000 rows here; the answer was all of them, built on the event loop from one unbounded store read. Now
     * pages of whole minutes, at most 5_000 rows, that together hold every row once, in order.
     */
    @Test
    void aWeekOfUsageIsAnsweredInBoundedPagesOfWholeMinutes() throws Exception {
        long now = System.currentTimeMillis() / 60_000;
        String[] routes = {"GET /v1/market/quotes", "GET /v1/account", "GET /v1/fills", "GET /v1/orders"};
        for (long m = now - 3_000; m < now; m++) {
            for (String route : routes) {
                gw.gateway.stores().meter().record(new org.opentrade.gateway.domain.UsageSample(auth[1], route, m, 429, 10));
            }
        }
        org.opentrade.gateway.port.Await.result(gw.gateway.stores().meter().flush());
        String window = "/v1/usage?key_id=" + auth[1] + "&from=" + java.time.Instant.ofEpochSecond((now - 7 * 1440 + 1) * 60)
                + "&to=" + java.time.Instant.ofEpochSecond(now * 60);
        java.util.Set<String> seen = new java.util.HashSet<>();
        String previous = "";
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = gw.get(window + (cursor == null ? "" : "&cursor=" + cursor),
                    "Authorization", "Bearer " + token);
            assertEquals(200, page.statusCode(), page.body());
            JsonObject body = new JsonObject(page.body());
            JsonArray rows = body.getJsonArray("rows");
            assertTrue(rows.size() <= UsageRoutes.MAX_ROWS, "a page of " + rows.size() + " rows");
            for (Object o : rows) {
                JsonObject r = (JsonObject) o;
                String id = r.getString("minute") + " " + r.getString("route");
                assertTrue(seen.add(id), "twice: " + id);
                assertTrue(r.getString("minute").compareTo(previous) >= 0, "out of order: " + id);
                previous = r.getString("minute");
            }
            cursor = body.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3_000 * routes.length, seen.size());
        assertEquals(3, pages);

        HttpResponse<String> small = gw.get(window + "&limit=7", "Authorization", "Bearer " + token);
        assertEquals(4, new JsonObject(small.body()).getJsonArray("rows").size(), "whole minutes: " + small.body());
        for (String bad : new String[] {"&limit=0", "&limit=5001", "&limit=", "&limit=-1", "&limit=1e3",
            "&cursor=2000-01-01T00:00:00Z", "&cursor=yesterday"}) {
            HttpResponse<String> refused = gw.get(window + bad, "Authorization", "Bearer " + token);
            assertEquals(400, refused.statusCode(), bad);
            assertEquals(-1002, new JsonObject(refused.body()).getInteger("error_no"), bad);
        }
    }

    private static JsonObject find(JsonArray rows, String route) {
        for (Object o : rows) {
            JsonObject r = (JsonObject) o;
            if (r.getString("route").equals(route)) {
                return r;
            }
        }
        throw new AssertionError("no row for " + route + " in " + rows.encode());
    }
}
