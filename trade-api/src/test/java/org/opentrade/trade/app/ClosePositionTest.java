package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;

/**
 * Closing positions (Alpaca's {@code DELETE /v2/positions[/{symbol}]}) against the real exchange: a market sell of
 * what is sellable, shares open sells hold left alone, a retry under its Idempotency-Key never selling twice.
 */
class ClosePositionTest extends TradeHarnessTest {
    private static final String SYMBOL = "601398.SH";
    private static long makerOrderIds = 9_100_000_000L;

    /** A resting order of a market maker, sent straight to the exchange. */
    private static void maker(String side, String price, long qty) throws Exception {
        h.vertx.eventBus().request(ExchangeAddresses.COMMANDS, new JsonObject()
                .put("type", "NEW_ORDER").put("order_id", ++makerOrderIds).put("account", "sim-mm-0").put("symbol", SYMBOL)
                .put("side", side).put("order_type", "LIMIT").put("tif", "GTC").put("price", price).put("qty", qty))
                .toCompletionStage().toCompletableFuture().get();
    }

    private static HttpResponse<Buffer> delete(String dev, String uri, String idempotencyKey) throws Exception {
        var r = h.request(HttpMethod.DELETE, dev, uri);
        if (idempotencyKey != null) {
            r.putHeader("Idempotency-Key", idempotencyKey);
        }
        return TradeHarness.await(r.send());
    }

    /** Waits until the position holds {@code qty} shares (or that many are sellable): fills reach it from the feed. */
    private static void awaitHeld(String dev, long qty, boolean sellable) throws Exception {
        h.until(() -> {
            try {
                HttpResponse<Buffer> r = h.get(dev, "/v1/positions/" + SYMBOL);
                return (r.statusCode() == 404 ? 0 : r.bodyAsJsonObject().getLong(sellable ? "sellable_qty" : "qty")) == qty;
            } catch (Exception e) {
                return false;
            }
        }, 10);
    }

    /** Makers on both sides, then {@code dev} buys {@code qty} at market and holds them, sellable. */
    private static void holding(String dev, String clientOrderId, long qty) throws Exception {
        maker("SELL", "7.12", 1000);
        maker("BUY", "7.10", 1000);
        HttpResponse<Buffer> buy = h.order(dev, TradeHarness.limit(clientOrderId, SYMBOL, "buy", "7.12", qty));
        assertEquals("filled", buy.bodyAsJsonObject().getString("status"), buy.bodyAsString());
        awaitHeld(dev, qty, true);
    }

    /**
     * An exchange whose answer to {@code dev}'s new sell orders is {@code instead} while {@code on} (it may reply, or
     * do nothing: no answer); everything else goes through. Added to the bus until {@code body} ends.
     */
    private static void whileSellsOf(String dev, AtomicBoolean on, java.util.function.Consumer<DeliveryContext<Object>>
            instead, ThrowingRunnable body) throws Exception {
        Handler<DeliveryContext<Object>> exchange = dc -> {
            if (on.get() && dc.body() instanceof Command c && c.type() == CommandType.NEW_ORDER
                    && dev.equals(c.account()) && c.side() == Side.SELL) {
                instead.accept(dc);
            } else {
                dc.next();
            }
        };
        h.vertx.eventBus().addOutboundInterceptor(exchange);
        try {
            body.run();
        } finally {
            h.vertx.eventBus().removeOutboundInterceptor(exchange);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void assertError(HttpResponse<Buffer> r, int status, int errorNo) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        assertEquals(errorNo, r.bodyAsJsonObject().getInteger("error_no"), r.bodyAsString());
    }

    @Test
    void aCloseSellsWhatIsSellableAtMarketOnceAndLeavesHeldSharesToTheirOrders() throws Exception {
        maker("SELL", "7.12", 1000);
        HttpResponse<Buffer> buy = h.order("dev_ivy", TradeHarness.limit("i-1", SYMBOL, "buy", "7.12", 300));
        assertEquals("filled", buy.bodyAsJsonObject().getString("status"), buy.bodyAsString());
        awaitHeld("dev_ivy", 300, false);
        JsonObject position = h.get("dev_ivy", "/v1/positions/" + SYMBOL).bodyAsJsonObject();
        assertEquals(300, position.getLong("sellable_qty"));
        assertEquals("7.12", position.getString("avg_cost"));
        maker("BUY", "7.10", 1000);
        HttpResponse<Buffer> resting = h.order("dev_ivy", TradeHarness.limit("i-2", SYMBOL, "sell", "7.80", 100));
        assertEquals(201, resting.statusCode(), resting.bodyAsString());

        assertError(delete("dev_ivy", "/v1/positions/" + SYMBOL + "?qty=300", null), 422, -4102);
        HttpResponse<Buffer> close = delete("dev_ivy", "/v1/positions/" + SYMBOL, "close-ivy-1");
        assertEquals(201, close.statusCode(), close.bodyAsString());
        JsonObject sell = close.bodyAsJsonObject();
        assertEquals("sell", sell.getString("side"));
        assertEquals("market", sell.getString("type"));
        assertEquals(200, sell.getLong("qty"), "the 100 the resting sell holds are not sold");
        assertEquals("filled", sell.getString("status"), sell.encode());
        HttpResponse<Buffer> retry = delete("dev_ivy", "/v1/positions/" + SYMBOL, "close-ivy-1");
        assertEquals(close.bodyAsString(), retry.bodyAsString(), "sold once: the first answer again");
        assertError(delete("dev_ivy", "/v1/positions/" + SYMBOL + "?qty=100", "close-ivy-1"), 409, -4115);
        awaitHeld("dev_ivy", 100, false);
        assertError(delete("dev_ivy", "/v1/positions/" + SYMBOL, null), 422, -4102);

        // A cancel-all of one side: the resting sell goes, a resting buy stays until its own side's turn.
        HttpResponse<Buffer> restingBuy = h.order("dev_ivy", TradeHarness.limit("i-3", SYMBOL, "buy", "7.00", 100));
        assertEquals(201, restingBuy.statusCode(), restingBuy.bodyAsString());
        assertError(delete("dev_ivy", "/v1/orders?side=short", null), 422, -1002);
        JsonArray sells = delete("dev_ivy", "/v1/orders?symbol=" + SYMBOL + "&side=sell", null).bodyAsJsonObject()
                .getJsonArray("items");
        assertEquals(1, sells.size(), sells.encode());
        assertEquals("i-2", sells.getJsonObject(0).getJsonObject("order").getString("client_order_id"));
        assertEquals("new", h.get("dev_ivy", "/v1/orders/by-client-id/i-3").bodyAsJsonObject().getString("status"));
        assertEquals(1, delete("dev_ivy", "/v1/orders?side=buy", null).bodyAsJsonObject().getJsonArray("items").size());
        awaitHeld("dev_ivy", 100, true);
        HttpResponse<Buffer> all = delete("dev_ivy", "/v1/positions", "close-all-ivy");
        assertEquals(200, all.statusCode(), all.bodyAsString());
        JsonArray items = all.bodyAsJsonObject().getJsonArray("items");
        assertEquals(1, items.size(), items.encode());
        assertEquals(SYMBOL, items.getJsonObject(0).getString("symbol"));
        assertEquals(201, items.getJsonObject(0).getInteger("status"), items.encode());
        assertEquals(100, items.getJsonObject(0).getJsonObject("order").getLong("qty"));
        assertEquals(all.bodyAsString(), delete("dev_ivy", "/v1/positions", "close-all-ivy").bodyAsString(),
                "a retry under its key answers the first answer again");
        awaitHeld("dev_ivy", 0, false);
        // One key, one request, whichever endpoints: a new order under a close's key, a close under a new order's.
        assertError(TradeHarness.await(h.request(HttpMethod.POST, "dev_ivy", "/v1/orders")
                .putHeader("Idempotency-Key", "close-all-ivy").sendJsonObject(TradeHarness.limit(null, SYMBOL, "buy",
                        "7.00", 100))), 409, -4115);
        HttpResponse<Buffer> keyed = TradeHarness.await(h.request(HttpMethod.POST, "dev_ivy", "/v1/orders")
                .putHeader("Idempotency-Key", "order-ivy-9").sendJsonObject(TradeHarness.limit(null, SYMBOL, "buy",
                        "7.12", 100)));
        assertEquals(201, keyed.statusCode(), keyed.bodyAsString());
        awaitHeld("dev_ivy", 100, false);
        assertError(delete("dev_ivy", "/v1/positions/" + SYMBOL, "order-ivy-9"), 409, -4115);
        assertEquals(201, delete("dev_ivy", "/v1/positions/" + SYMBOL, null).statusCode());
        awaitHeld("dev_ivy", 0, false);
        assertError(h.get("dev_ivy", "/v1/positions/" + SYMBOL), 404, -4117);
        assertError(delete("dev_ivy", "/v1/positions/" + SYMBOL, null), 404, -4117);
        assertEquals(0, delete("dev_ivy", "/v1/positions", null).bodyAsJsonObject().getJsonArray("items").size());
    }

    @Test
    void cancelOrdersFirstFreesTheSharesRestingSellsHoldAndAPercentageSellsWholeLotsOfThePosition() throws Exception {
        holding("dev_kim", "k-1", 500);
        assertEquals(201, h.order("dev_kim", TradeHarness.limit("k-2", SYMBOL, "sell", "7.80", 200)).statusCode());
        awaitHeld("dev_kim", 300, true);

        assertError(delete("dev_kim", "/v1/positions/" + SYMBOL + "?qty=400", null), 422, -4102);
        HttpResponse<Buffer> close = delete("dev_kim", "/v1/positions/" + SYMBOL + "?qty=400&cancel_orders=true", "k-close");
        assertEquals(201, close.statusCode(), close.bodyAsString());
        assertEquals(400, close.bodyAsJsonObject().getLong("qty"), close.bodyAsString());
        assertEquals("filled", close.bodyAsJsonObject().getString("status"), close.bodyAsString());
        assertEquals("canceled", h.get("dev_kim", "/v1/orders/by-client-id/k-2").bodyAsJsonObject().getString("status"));
        awaitHeld("dev_kim", 100, false);

        // 50 % of 100 shares is 50, less than the board lot.
        assertError(delete("dev_kim", "/v1/positions/" + SYMBOL + "?percentage=50", null), 422, -4103);
        HttpResponse<Buffer> buyMore = h.order("dev_kim", TradeHarness.limit("k-3", SYMBOL, "buy", "7.12", 200));
        assertEquals("filled", buyMore.bodyAsJsonObject().getString("status"), buyMore.bodyAsString());
        awaitHeld("dev_kim", 300, true);
        HttpResponse<Buffer> half = delete("dev_kim", "/v1/positions/" + SYMBOL + "?percentage=50", null);
        assertEquals(201, half.statusCode(), half.bodyAsString());
        assertEquals(100, half.bodyAsJsonObject().getLong("qty"), "150 rounded down to whole lots of 100");
        awaitHeld("dev_kim", 200, true);
        HttpResponse<Buffer> rest = delete("dev_kim", "/v1/positions/" + SYMBOL + "?percentage=100.00", null);
        assertEquals(201, rest.statusCode(), rest.bodyAsString());
        assertEquals(200, rest.bodyAsJsonObject().getLong("qty"), "all of it");
        awaitHeld("dev_kim", 0, false);
    }

    @Test
    void closeAllWithCancelOrdersCancelsEveryOpenOrderThenSellsEverything() throws Exception {
        holding("dev_lea", "l-1", 300);
        assertEquals(201, h.order("dev_lea", TradeHarness.limit("l-2", SYMBOL, "sell", "7.80", 300)).statusCode());
        assertEquals(201, h.order("dev_lea", TradeHarness.limit("l-3", SYMBOL, "buy", "6.90", 100)).statusCode());
        awaitHeld("dev_lea", 0, true);

        JsonArray without = delete("dev_lea", "/v1/positions", null).bodyAsJsonObject().getJsonArray("items");
        assertEquals(422, without.getJsonObject(0).getInteger("status"), "the resting sell holds every share: "
                + without.encode());
        HttpResponse<Buffer> all = delete("dev_lea", "/v1/positions?cancel_orders=true", null);
        assertEquals(200, all.statusCode(), all.bodyAsString());
        JsonArray items = all.bodyAsJsonObject().getJsonArray("items");
        assertEquals(1, items.size(), items.encode());
        assertEquals(201, items.getJsonObject(0).getInteger("status"), items.encode());
        assertEquals(300, items.getJsonObject(0).getJsonObject("order").getLong("qty"));
        for (String order : new String[] {"l-2", "l-3"}) {
            assertEquals("canceled", h.get("dev_lea", "/v1/orders/by-client-id/" + order).bodyAsJsonObject()
                    .getString("status"), order);
        }
        awaitHeld("dev_lea", 0, false);
    }

    @Test
    void aRetryOfACloseWhoseSellTheExchangeRejectedSellsAfterAll() throws Exception {
        holding("dev_max", "m-1", 300);
        AtomicBoolean refusing = new AtomicBoolean(true);
        whileSellsOf("dev_max", refusing, dc -> dc.message().reply(ExchangeJson.toJson(
                CommandResult.refused((Command) dc.body(), ResultCode.ENGINE_OVERLOADED))), () -> {
            assertError(delete("dev_max", "/v1/positions/" + SYMBOL, "max-close"), 503, -5007);
            refusing.set(false);
            HttpResponse<Buffer> retry = delete("dev_max", "/v1/positions/" + SYMBOL, "max-close");
            assertEquals(201, retry.statusCode(), "the rejected sell sold nothing: the retry sells " + retry.bodyAsString());
            assertEquals(300, retry.bodyAsJsonObject().getLong("qty"));
            assertEquals("filled", retry.bodyAsJsonObject().getString("status"), retry.bodyAsString());
            assertEquals(retry.bodyAsString(), delete("dev_max", "/v1/positions/" + SYMBOL, "max-close").bodyAsString(),
                    "and a retry of that answers it again");
            awaitHeld("dev_max", 0, false);
        });
    }

    @Test
    void aCloseWhoseAnswerWasLostIsNotTheAnswerOfAnotherCloseUnderItsKey() throws Exception {
        holding("dev_ned", "n-1", 300);
        AtomicBoolean unanswered = new AtomicBoolean(true);
        whileSellsOf("dev_ned", unanswered, dc -> { }, () -> { // the exchange never answers the sell
            HttpResponse<Buffer> first = delete("dev_ned", "/v1/positions/" + SYMBOL + "?qty=100", "ned-close");
            assertEquals(504, first.statusCode(), first.bodyAsString());
            unanswered.set(false);
            // The key again, with a close of everything: it was answered the first close's 100-share sell.
            HttpResponse<Buffer> other = delete("dev_ned", "/v1/positions/" + SYMBOL, "ned-close");
            assertEquals(201, other.statusCode(), other.bodyAsString());
            assertEquals(200, other.bodyAsJsonObject().getLong("qty"), "all that is sellable besides the first sell");
            assertError(delete("dev_ned", "/v1/positions/" + SYMBOL + "?qty=100", "ned-close"), 409, -4115);
        });
    }

    @Test
    void aNewOrderUnderTheKeyOfACancelAllStillRunningIsRefusedAndTheCancelAllsRetryGetsItsAnswer() throws Exception {
        HttpResponse<Buffer> resting = h.order("dev_oli", TradeHarness.limit("o-1", SYMBOL, "buy", "6.50", 100));
        assertEquals(201, resting.statusCode(), resting.bodyAsString());
        AtomicBoolean holding = new AtomicBoolean(true);
        java.util.List<DeliveryContext<Object>> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler<DeliveryContext<Object>> slowCancel = dc -> {
            if (holding.get() && dc.body() instanceof Command c && c.type() == CommandType.CANCEL) {
                held.add(dc); // answered once released below
                return;
            }
            dc.next();
        };
        h.vertx.eventBus().addOutboundInterceptor(slowCancel);
        try {
            var cancelAll = h.request(HttpMethod.DELETE, "dev_oli", "/v1/orders").putHeader("Idempotency-Key", "oli-1")
                    .send();
            h.until(() -> !held.isEmpty(), 10);
            HttpResponse<Buffer> order = TradeHarness.await(h.request(HttpMethod.POST, "dev_oli", "/v1/orders")
                    .putHeader("Idempotency-Key", "oli-1").sendJsonObject(TradeHarness.limit(null, SYMBOL, "buy", "6.50",
                            100)));
            assertError(order, 409, -4115);
            assertEquals("1", order.getHeader("Retry-After"));
            holding.set(false);
            h.vertx.runOnContext(v -> held.forEach(DeliveryContext::next));
            HttpResponse<Buffer> canceled = TradeHarness.await(cancelAll);
            assertEquals(200, canceled.statusCode(), canceled.bodyAsString());
            assertEquals(canceled.bodyAsString(), delete("dev_oli", "/v1/orders", "oli-1").bodyAsString(),
                    "its retry gets its answer");
        } finally {
            h.vertx.eventBus().removeOutboundInterceptor(slowCancel);
        }
        assertEquals(0, h.get("dev_oli", "/v1/orders").bodyAsJsonObject().getJsonArray("items").size(), "no new order");
    }

    @Test
    void anotherAccountHasNothingToCloseAndBadParametersAreRefused() throws Exception {
        assertError(h.get("dev_jack", "/v1/positions/" + SYMBOL), 404, -4117);
        assertError(delete("dev_jack", "/v1/positions/" + SYMBOL, null), 404, -4117);
        assertEquals(0, delete("dev_jack", "/v1/positions", null).bodyAsJsonObject().getJsonArray("items").size());
        assertError(delete("dev_jack", "/v1/positions/nope", null), 422, -1002);
        for (String qty : new String[] {"0", "-5", "abc", "1e3", "9999999999999"}) {
            assertError(delete("dev_jack", "/v1/positions/" + SYMBOL + "?qty=" + qty, null), 422, -1002);
        }
        assertError(delete("dev_jack", "/v1/positions?symbol=" + SYMBOL, null), 422, -1002);
        for (String query : new String[] {"percentage=0", "percentage=0.00", "percentage=100.01", "percentage=101",
                "percentage=33.333", "percentage=-5", "percentage=abc", "percentage=50&qty=100", "cancel_orders=yes",
                "cancel_orders=1"}) {
            assertError(delete("dev_jack", "/v1/positions/" + SYMBOL + "?" + query, null), 422, -1002);
        }
        assertError(delete("dev_jack", "/v1/positions?cancel_orders=TRUE", null), 422, -1002);
        assertTrue(h.get("dev_jack", "/v1/positions").bodyAsJsonObject().getJsonArray("items").isEmpty());
    }
}
