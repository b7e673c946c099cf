package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** trade-api against the real exchange in one JVM: orders, fills, accounts, idempotency, risk, isolation. */
class TradeApiServiceTest extends TradeHarnessTest {

    private static JsonObject body(HttpResponse<Buffer> r) {
        return r.bodyAsJsonObject();
    }

    @Test
    void aRestingBuyReservesBuyingPowerAndASellWithoutSharesIsRefused() throws Exception {
        HttpResponse<Buffer> buy = h.order("dev_alice", TradeHarness.limit("a-1", "600000.SH", "buy", "10.00", 100));
        assertEquals(201, buy.statusCode(), buy.bodyAsString());
        assertEquals("new", body(buy).getString("status"));
        assertEquals("a-1", body(buy).getString("client_order_id"));
        JsonObject account = body(h.get("dev_alice", "/v1/account"));
        assertEquals("1000000.00", account.getString("cash"));
        assertEquals("998994.99", account.getString("buying_power"), "1 000 000 - 100 x 10.00 - fees 5.01 reserved");
        assertEquals(1, account.getInteger("open_orders"));
        HttpResponse<Buffer> sell = h.order("dev_bob", TradeHarness.limit("b-1", "600000.SH", "sell", "10.00", 100));
        assertEquals(422, sell.statusCode(), "bob holds no shares: " + sell.bodyAsString());
        assertEquals(-4102, body(sell).getInteger("error_no"));
        HttpResponse<Buffer> byClient = h.get("dev_alice", "/v1/orders/by-client-id/a-1");
        assertEquals(body(buy).getString("order_id"), body(byClient).getString("order_id"));
    }

    @Test
    void aFillUpdatesCashPositionsAndFillsExactly() throws Exception {
        // dave rests a sell he cannot make (no shares): refused. So erin buys from the market maker-less book by
        // crossing her own two accounts: erin-buyer rests a buy, then erin-seller... also needs shares.
        // Shares only come from buying: frank buys 200 @ 10.45 against gina's... Every paper account starts
        // with cash only, so the first trade of the sandbox needs the simulator's liquidity: place a buy that
        // crosses a resting sell of a non-paper account sent straight to the exchange.
        h.vertx.eventBus().request(org.opentrade.exchange.client.ExchangeAddresses.COMMANDS, new JsonObject()
                .put("type", "NEW_ORDER").put("order_id", 9_000_000_001L).put("account", "sim-mm-0").put("symbol", "601398.SH")
                .put("side", "SELL").put("order_type", "LIMIT").put("tif", "GTC").put("price", "7.12").put("qty", 1000))
                .toCompletionStage().toCompletableFuture().get();
        HttpResponse<Buffer> buy = h.order("dev_frank", TradeHarness.limit("f-1", "601398.SH", "buy", "7.12", 300));
        assertEquals(201, buy.statusCode(), buy.bodyAsString());
        assertEquals("filled", body(buy).getString("status"), buy.bodyAsString());
        h.until(() -> {
            try {
                return body(h.get("dev_frank", "/v1/fills")).getJsonArray("items").size() == 1;
            } catch (Exception e) {
                return false;
            }
        }, 10);
        JsonObject fill = body(h.get("dev_frank", "/v1/fills")).getJsonArray("items").getJsonObject(0);
        assertEquals("7.12", fill.getString("price"));
        assertEquals(300, fill.getLong("qty"));
        assertEquals("5.02", fill.getString("fee"), "commission min 5.00 + transfer 0.02 (0.001 % of 2 136.00)");
        assertEquals("taker", fill.getString("liquidity"));
        JsonObject pos = body(h.get("dev_frank", "/v1/positions")).getJsonArray("items").getJsonObject(0);
        assertEquals("601398.SH", pos.getString("symbol"));
        assertEquals(300, pos.getLong("qty"));
        assertEquals(300, pos.getLong("sellable_qty"), "no T+1 under the 24x7 calendar");
        assertEquals("7.12", pos.getString("avg_cost"));
        JsonObject acct = body(h.get("dev_frank", "/v1/account"));
        assertEquals("997858.98", acct.getString("cash"), "1 000 000 - 2 136.00 - 5.02");
        assertEquals("5.02", acct.getString("fees_paid"));
        // and he can now sell what he holds
        HttpResponse<Buffer> sell = h.order("dev_frank", TradeHarness.limit("f-2", "601398.SH", "sell", "7.50", 300));
        assertEquals(201, sell.statusCode(), sell.bodyAsString());
    }

    @Test
    void aRetryWithTheSameClientOrderIdReturnsTheOriginalOrderAndDifferentParametersConflict() throws Exception {
        JsonObject o = TradeHarness.limit("retry-1", "600036.SH", "buy", "41.00", 100);
        HttpResponse<Buffer> first = h.order("dev_henry", o);
        HttpResponse<Buffer> again = h.order("dev_henry", o);
        assertEquals(201, first.statusCode(), first.bodyAsString());
        assertEquals(200, again.statusCode(), again.bodyAsString());
        assertEquals(body(first).getString("order_id"), body(again).getString("order_id"));
        HttpResponse<Buffer> replaced = h.send(HttpMethod.PATCH, "dev_henry", "/v1/orders/" + body(first).getString("order_id"),
                new JsonObject().put("price", "40.90"));
        assertEquals(200, replaced.statusCode(), replaced.bodyAsString());
        HttpResponse<Buffer> afterReplace = h.order("dev_henry", o);
        assertEquals(200, afterReplace.statusCode(), "a retry of the original request still finds the (replaced) order: "
                + afterReplace.bodyAsString());
        assertEquals(body(first).getString("order_id"), body(afterReplace).getString("order_id"));
        HttpResponse<Buffer> other = h.order("dev_henry", TradeHarness.limit("retry-1", "600036.SH", "buy", "41.01", 100));
        assertEquals(409, other.statusCode());
        assertEquals(-4111, body(other).getInteger("error_no"));
    }

    @Test
    void fiftyConcurrentRetriesCreateOneOrder() throws Exception {
        JsonObject o = TradeHarness.limit("storm-1", "600519.SH", "buy", "1480.00", 100);
        List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(h.request(HttpMethod.POST, "dev_ivy", "/v1/orders").sendJsonObject(o));
        }
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (Future<HttpResponse<Buffer>> f : all) {
            HttpResponse<Buffer> r = TradeHarness.await(f);
            assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.bodyAsString());
            created += r.statusCode() == 201 ? 1 : 0;
            ids.add(body(r).getString("order_id"));
        }
        assertEquals(1, ids.size(), "one order for fifty retries");
        assertEquals(1, created, "exactly one 201");
        JsonArray open = body(h.get("dev_ivy", "/v1/orders?status=all")).getJsonArray("items");
        assertEquals(1, open.size());
    }

    @Test
    void anotherAccountCannotSeeCancelOrReplaceAnOrder() throws Exception {
        HttpResponse<Buffer> mine = h.order("dev_jack", TradeHarness.limit(null, "000001.SZ", "buy", "11.00", 100));
        String id = body(mine).getString("order_id");
        assertNotNull(body(mine).getString("client_order_id"), "generated when absent");
        assertEquals(404, h.get("dev_kate", "/v1/orders/" + id).statusCode());
        assertEquals(404, h.send(HttpMethod.DELETE, "dev_kate", "/v1/orders/" + id, null).statusCode());
        assertEquals(404, h.send(HttpMethod.PATCH, "dev_kate", "/v1/orders/" + id, new JsonObject().put("qty", 200))
                .statusCode());
        assertEquals(404, h.get("dev_kate", "/v1/orders/by-client-id/" + body(mine).getString("client_order_id"))
                .statusCode());
        assertEquals(0, body(h.get("dev_kate", "/v1/orders?status=all")).getJsonArray("items").size());
        HttpResponse<Buffer> cancel = h.send(HttpMethod.DELETE, "dev_jack", "/v1/orders/" + id, null);
        assertEquals(200, cancel.statusCode(), cancel.bodyAsString());
        assertEquals("canceled", body(cancel).getString("status"));
    }

    /**
     * Ids trade-api generates for orders sent without one ({@code ot-<base36 ms>-<n>}) are reserved: a caller's
     * client_order_id with that prefix could take an id generated later, and that later order was then answered
     * with the caller's order (or 409 -4111) instead of being placed.
     */
    @Test
    void aClientOrderIdWithTheGeneratedPrefixIsRefusedAndCreatesNothing() throws Exception {
        HttpResponse<Buffer> generated = h.order("dev_prefix", TradeHarness.limit(null, "600000.SH", "buy", "10.00", 100));
        assertEquals(201, generated.statusCode(), generated.bodyAsString());
        String id = body(generated).getString("client_order_id");
        assertTrue(id.startsWith("ot-"), id);
        String[] parts = id.split("-");
        String next = "ot-" + parts[1] + "-" + (Long.parseLong(parts[2]) + 1);
        for (String taken : new String[] {next, "ot-zzzzzzzzz-1", "ot-", id}) {
            HttpResponse<Buffer> r = h.order("dev_prefix", TradeHarness.limit(taken, "600000.SH", "buy", "10.00", 100));
            assertEquals(422, r.statusCode(), taken + ": " + r.bodyAsString());
            assertEquals(-1002, body(r).getInteger("error_no"), r.bodyAsString());
            assertTrue(body(r).getString("error").contains("reserved"), r.bodyAsString());
        }
        assertEquals(1, body(h.get("dev_prefix", "/v1/orders?status=all")).getJsonArray("items").size(), "nothing created");
        for (String own : new String[] {"my-ot-1", "OT-1", "ot_1"}) {
            HttpResponse<Buffer> r = h.order("dev_prefix", TradeHarness.limit(own, "600000.SH", "buy", "10.00", 100));
            assertEquals(201, r.statusCode(), own + ": " + r.bodyAsString());
        }
    }

    @Test
    void riskRulesAnswerWithTheirOwnNumbers() throws Exception {
        assertEquals(-4103, body(h.order("dev_lee", TradeHarness.limit(null, "600000.SH", "buy", "10.00", 150)))
                .getInteger("error_no"));
        // With a 0.01 tick every price the body accepts (2 decimals) is on the tick: more decimals are -1002.
        assertEquals(-1002, body(h.order("dev_lee", new JsonObject().put("symbol", "600000.SH").put("side", "buy")
                .put("qty", 100).put("price", 10.005))).getInteger("error_no"));
        assertEquals(-4105, body(h.order("dev_lee", TradeHarness.limit(null, "600000.SH", "buy", "20.00", 100)))
                .getInteger("error_no"));
        assertEquals(-4107, body(h.order("dev_lee", TradeHarness.limit(null, "600519.SH", "buy", "1480.00", 100_000)))
                .getInteger("error_no"), "148 000 000 is above the 50 000 000 notional limit");
        assertEquals(-4101, body(h.order("dev_lee", TradeHarness.limit(null, "600519.SH", "buy", "1480.00", 1_000)))
                .getInteger("error_no"), "1 480 000 is more than the 1 000 000 buying power");
        assertEquals(-4116, body(h.order("dev_lee", TradeHarness.limit(null, "999999.SH", "buy", "1.00", 100)))
                .getInteger("error_no"));
    }

    @Test
    void badBodiesGetTheErrorModelAndChangeNothing() throws Exception {
        HttpResponse<Buffer> huge = TradeHarness.await(h.request(HttpMethod.POST, "dev_mia", "/v1/orders")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"symbol\":\"" + "x".repeat(1 << 20) + "\"}")));
        assertEquals(413, huge.statusCode());
        assertEquals(-1003, body(huge).getInteger("error_no"));
        HttpResponse<Buffer> notJson = TradeHarness.await(h.request(HttpMethod.POST, "dev_mia", "/v1/orders")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("qty=100")));
        assertEquals(-1001, body(notJson).getInteger("error_no"));
        String order = TradeHarness.limit(null, "600000.SH", "buy", "10.00", 100).encode();
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/jsonp"}) {
            HttpResponse<Buffer> wrongType = TradeHarness.await(h.request(HttpMethod.POST, "dev_mia", "/v1/orders")
                    .putHeader("Content-Type", type).sendBuffer(Buffer.buffer(order)));
            assertEquals(415, wrongType.statusCode(), type);
            assertEquals(-1006, body(wrongType).getInteger("error_no"), type);
        }
        HttpResponse<Buffer> killSwitchAsText = TradeHarness.await(h.request(HttpMethod.POST, "dev_mia",
                "/v1/account/kill-switch").putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("{\"enabled\":true}")));
        assertEquals(-1006, body(killSwitchAsText).getInteger("error_no"));
        assertEquals(false, body(h.get("dev_mia", "/v1/account")).getBoolean("kill_switch"), "not switched on");
        HttpResponse<Buffer> fractional = h.order("dev_mia", new JsonObject().put("symbol", "600000.SH").put("side", "buy")
                .put("qty", 100.5).put("price", "10.00"));
        assertEquals(-1002, body(fractional).getInteger("error_no"));
        HttpResponse<Buffer> unknownEnum = h.order("dev_mia", new JsonObject().put("symbol", "600000.SH").put("side", "buy")
                .put("qty", 100).put("price", "10.00").put("time_in_force", "forever"));
        assertEquals(-1002, body(unknownEnum).getInteger("error_no"));
        assertEquals(32, body(unknownEnum).getString("trace_id").length());
        assertEquals(0, body(h.get("dev_mia", "/v1/orders?status=all")).getJsonArray("items").size(), "nothing was created");
        HttpResponse<Buffer> badStatus = h.get("dev_mia", "/v1/orders?status=pending");
        assertEquals(-1002, body(badStatus).getInteger("error_no"));
    }

    @Test
    void callsWithoutTheGatewayAssertionAreRefused() throws Exception {
        HttpResponse<Buffer> r = h.get(null, "/v1/account");
        assertEquals(401, r.statusCode());
        assertEquals(-2021, body(r).getInteger("error_no"));
    }

    @Test
    void metricsCountRequestsByRouteTemplateNeverByTheRawPath() throws Exception {
        h.get("dev_metrics", "/v1/orders/123456");
        h.get("dev_metrics", "/v1/orders/654321");
        h.get("dev_metrics", "/no/such/path-" + System.nanoTime());
        String text = h.get(null, "/metrics").bodyAsString();
        assertTrue(text.contains("trade_requests_total{route=\"GET /v1/orders/:order_id\",status=\"404\"} 2\n"), text);
        assertTrue(text.contains("trade_requests_total{route=\"unmatched\",status=\"404\"}"), text);
        assertTrue(!text.contains("123456") && !text.contains("/no/such"), "no raw path in a label: " + text);
        assertTrue(text.contains("# TYPE trade_request_duration_seconds histogram\n"), text);
    }

    @Test
    void aResetsStartingBalanceIsWrittenLikeAPrice() throws Exception {
        for (String bad : new String[] {"1e6", "+50000.00", "50000.001", "0", "1000000000000.01", " 50000"}) {
            HttpResponse<Buffer> r = h.send(HttpMethod.POST, "dev_reset", "/v1/account/reset",
                    new JsonObject().put("starting_balance", bad));
            assertEquals(422, r.statusCode(), bad + ": " + r.bodyAsString());
            assertEquals(-1002, body(r).getInteger("error_no"), bad);
        }
        HttpResponse<Buffer> ok = h.send(HttpMethod.POST, "dev_reset", "/v1/account/reset",
                new JsonObject().put("starting_balance", "50000.50"));
        assertEquals(200, ok.statusCode(), ok.bodyAsString());
        assertEquals("50000.50", body(h.get("dev_reset", "/v1/account")).getString("cash"));
    }

    @Test
    void aTimeRangeOutsideTheYears1970To9999IsAnInvalidParameterNotAFailure() throws Exception {
        for (String q : new String[] {"end=%2B999999999-12-31T23:59:59Z", "start=-999999999-01-01T00:00:00Z",
                "start=%2B300000000-01-01T00:00:00Z"}) {
            HttpResponse<Buffer> r = h.get("dev_times", "/v1/orders?status=all&" + q);
            assertEquals(422, r.statusCode(), q + ": " + r.bodyAsString());
            assertEquals(-1002, body(r).getInteger("error_no"), r.bodyAsString());
        }
        assertEquals(200, h.get("dev_times", "/v1/orders?status=all&start=2026-01-05T09:30:00%2B08:00").statusCode());
    }

    /** A misspelled or repeated filter used to widen what the call did: a typo of DELETE's symbol canceled every order. */
    @Test
    void aQueryParameterTheEndpointDoesNotTakeOrOneGivenTwiceIsRefusedAndCancelsNothing() throws Exception {
        String a = body(h.order("dev_query", TradeHarness.limit("q-1", "600000.SH", "buy", "10.00", 100))).getString("order_id");
        String b = body(h.order("dev_query", TradeHarness.limit("q-2", "000001.SZ", "buy", "11.00", 100))).getString("order_id");
        for (String query : new String[] {"?symbl=600000.SH", "?Symbol=600000.SH", "?symbol=600000.SH&symbol=000001.SZ",
                "?symbol=600000.SH&status=open"}) {
            HttpResponse<Buffer> r = h.send(HttpMethod.DELETE, "dev_query", "/v1/orders" + query, null);
            assertEquals(422, r.statusCode(), query + ": " + r.bodyAsString());
            assertEquals(-1002, body(r).getInteger("error_no"), r.bodyAsString());
        }
        assertEquals("unknown query parameter 'symbl'; allowed: symbol, side",
                body(h.send(HttpMethod.DELETE, "dev_query", "/v1/orders?symbl=600000.SH", null)).getString("error"));
        assertEquals(2, body(h.get("dev_query", "/v1/orders")).getJsonArray("items").size(), "nothing was canceled");
        HttpResponse<Buffer> one = h.send(HttpMethod.DELETE, "dev_query", "/v1/orders?symbol=600000.SH", null);
        assertEquals(200, one.statusCode(), one.bodyAsString());
        assertEquals(a, body(one).getJsonArray("items").getJsonObject(0).getString("order_id"));
        assertEquals(b, body(h.get("dev_query", "/v1/orders")).getJsonArray("items").getJsonObject(0).getString("order_id"));

        for (String uri : new String[] {"/v1/orders?status=all&limit=1&limit=2", "/v1/fills?start=2026-01-01",
                "/v1/account?x=1", "/v1/orders/" + b + "?fields=status", "/v1/orders?symbol=%zz"}) {
            HttpResponse<Buffer> r = h.get("dev_query", uri);
            assertEquals(422, r.statusCode(), uri + ": " + r.bodyAsString());
            assertEquals(-1002, body(r).getInteger("error_no"), r.bodyAsString());
        }
        assertEquals(200, h.get("dev_query", "/v1/orders?status=all&symbol=000001.SZ&limit=5").statusCode());
    }

    /** A cancel-all of a symbol traded nowhere here (a wrong case, a typo) canceled nothing and said 200. */
    @Test
    void aCancelAllOfASymbolThatIsNotTradedHereIsRefusedNotAnsweredAsNothingOpen() throws Exception {
        String a = body(h.order("dev_case", TradeHarness.limit("c-1", "600000.SH", "buy", "10.00", 100))).getString("order_id");
        for (String symbol : new String[] {"600000.sh", "600000.SS", "999999.SH"}) {
            HttpResponse<Buffer> r = h.send(HttpMethod.DELETE, "dev_case", "/v1/orders?symbol=" + symbol, null);
            assertEquals(422, r.statusCode(), symbol + ": " + r.bodyAsString());
            assertEquals(-4116, body(r).getInteger("error_no"), r.bodyAsString());
            assertTrue(body(r).getString("error").contains("nothing was canceled"), r.bodyAsString());
        }
        assertEquals(a, body(h.get("dev_case", "/v1/orders")).getJsonArray("items").getJsonObject(0).getString("order_id"));
        HttpResponse<Buffer> one = h.send(HttpMethod.DELETE, "dev_case", "/v1/orders?symbol=600000.SH&side=buy", null);
        assertEquals(200, one.statusCode(), one.bodyAsString());
        assertEquals(a, body(one).getJsonArray("items").getJsonObject(0).getString("order_id"));
        // A symbol traded here with nothing open is a cancel-all that found nothing, as before.
        HttpResponse<Buffer> none = h.send(HttpMethod.DELETE, "dev_case", "/v1/orders?symbol=000001.SZ", null);
        assertEquals(200, none.statusCode(), none.bodyAsString());
        assertEquals(0, body(none).getJsonArray("items").size());
    }

    /**
     * Reads of a symbol traded nowhere here (a wrong case, a typo) answered an empty list or 404 -4117 "no position",
     * which reads as "nothing there" while the account held 600000.SH: 422 -4116, as a cancel-all of it is.
     */
    @Test
    void readsOfASymbolThatIsNotTradedHereAreRefusedNotAnsweredAsNothingThere() throws Exception {
        String a = body(h.order("dev_case_reads", TradeHarness.limit("cr-1", "600000.SH", "buy", "10.00", 100)))
                .getString("order_id");
        for (String symbol : new String[] {"600000.sh", "600000.SS", "999999.SH"}) {
            for (String uri : new String[] {"/v1/orders?symbol=" + symbol, "/v1/orders?status=all&symbol=" + symbol,
                    "/v1/positions/" + symbol}) {
                for (String dev : new String[] {"dev_case_reads", "dev_case_reads_new"}) { // the second has no account yet
                    HttpResponse<Buffer> r = h.get(dev, uri);
                    assertEquals(422, r.statusCode(), dev + " " + uri + ": " + r.bodyAsString());
                    assertEquals(-4116, body(r).getInteger("error_no"), r.bodyAsString());
                    assertTrue(body(r).getString("error").contains("case sensitive"), r.bodyAsString());
                }
            }
        }
        JsonArray listed = body(h.get("dev_case_reads", "/v1/orders?symbol=600000.SH")).getJsonArray("items");
        assertEquals(a, listed.getJsonObject(0).getString("order_id"));
        // A symbol traded here with nothing in it reads as before: no orders, no position.
        HttpResponse<Buffer> none = h.get("dev_case_reads", "/v1/orders?status=all&symbol=000001.SZ");
        assertEquals(200, none.statusCode(), none.bodyAsString());
        assertEquals(0, body(none).getJsonArray("items").size());
        HttpResponse<Buffer> flat = h.get("dev_case_reads", "/v1/positions/000001.SZ");
        assertEquals(404, flat.statusCode(), flat.bodyAsString());
        assertEquals(-4117, body(flat).getInteger("error_no"));
    }
}
