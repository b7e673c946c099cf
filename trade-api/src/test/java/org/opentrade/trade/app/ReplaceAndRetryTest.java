package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Replaces are held to the same buying power as new orders, and retries stay retries: what a review of
 * trade-api found (a replace counted its order's reservation twice; parallel retries of one
 * Idempotency-Key both ran; a retry after a replace was called a conflict).
 */
class ReplaceAndRetryTest extends TradeHarnessTest {

    private static BigDecimal buyingPower(String dev) throws Exception {
        return new BigDecimal(h.get(dev, "/v1/account").bodyAsJsonObject().getString("buying_power"));
    }

    private static void reset(String dev, String cash) throws Exception {
        HttpResponse<Buffer> r = h.send(HttpMethod.POST, dev, "/v1/account/reset", new JsonObject().put("starting_balance", cash));
        assertEquals(200, r.statusCode(), r.bodyAsString());
    }

    /** A buy of {@code qty} at 10.00, below the market (it rests): its order id. */
    private static String restingBuy(String dev, String clientOrderId, long qty) throws Exception {
        HttpResponse<Buffer> buy = h.order(dev, TradeHarness.limit(clientOrderId, "600000.SH", "buy", "10.00", qty));
        assertEquals(201, buy.statusCode(), buy.bodyAsString());
        return buy.bodyAsJsonObject().getString("order_id");
    }

    @Test
    void aReplaceCannotGrowABuyPastTheBuyingPower() throws Exception {
        String dev = "dev_replace_bp";
        reset(dev, "100000.00");
        // Below the market (never fills): 9 000 x 10.00 reserves 90 000 plus fees, leaving under 10 000.
        String id = restingBuy(dev, "bp-1", 9_000);
        BigDecimal left = buyingPower(dev);
        assertTrue(left.signum() > 0 && left.compareTo(new BigDecimal("10000")) < 0, left.toPlainString());

        HttpResponse<Buffer> doubled = h.send(HttpMethod.PATCH, dev, "/v1/orders/" + id, new JsonObject().put("qty", 18_000));
        assertEquals(422, doubled.statusCode(), doubled.bodyAsString());
        assertEquals(-4101, doubled.bodyAsJsonObject().getInteger("error_no"), doubled.bodyAsString());
        assertEquals(left, buyingPower(dev), "a refused replace holds nothing more");

        // What the buying power does cover still passes: 500 more shares, about 5 000.
        HttpResponse<Buffer> more = h.send(HttpMethod.PATCH, dev, "/v1/orders/" + id, new JsonObject().put("qty", 9_500));
        assertEquals(200, more.statusCode(), more.bodyAsString());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (buyingPower(dev).compareTo(left.subtract(new BigDecimal("5000"))) >= 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the exchange's confirmation moves the reservation
        }
        assertTrue(buyingPower(dev).compareTo(left.subtract(new BigDecimal("5000"))) < 0, "the replace reserved more");
        assertTrue(buyingPower(dev).signum() >= 0, "never below zero: " + buyingPower(dev));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAfterAReplaceStillAnswersTheOrder() throws Exception {
        String dev = "dev_retry_after_replace";
        reset(dev, "100000.00");
        JsonObject order = new JsonObject().put("symbol", "600000.SH").put("side", "buy").put("type", "limit")
                .put("price", "10.00").put("qty", 100); // no client_order_id: the key alone names it
        HttpResponse<Buffer> first = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/orders")
                .putHeader("Idempotency-Key", "k-retry-1").sendJsonObject(order));
        assertEquals(201, first.statusCode(), first.bodyAsString());
        String id = first.bodyAsJsonObject().getString("order_id");
        HttpResponse<Buffer> replaced = h.send(HttpMethod.PATCH, dev, "/v1/orders/" + id, new JsonObject().put("price", "10.01"));
        assertEquals(200, replaced.statusCode(), replaced.bodyAsString());
        HttpResponse<Buffer> retry = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/orders")
                .putHeader("Idempotency-Key", "k-retry-1").sendJsonObject(order));
        assertEquals(200, retry.statusCode(), retry.bodyAsString());
        assertEquals(id, retry.bodyAsJsonObject().getString("order_id"));
        HttpResponse<Buffer> other = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/orders")
                .putHeader("Idempotency-Key", "k-retry-1").sendJsonObject(order.copy().put("qty", 200)));
        assertEquals(409, other.statusCode(), "another request under the key is still a conflict: " + other.bodyAsString());
    }

    /**
     * Under one Idempotency-Key, a request naming another client_order_id is another order: 409 -4115, never the
     * first order answered 200 as if it were this one (the new client_order_id then never existed). The same
     * request retried, naming its client_order_id, is still the first order.
     */
    @Test
    void anotherClientOrderIdUnderAnIdempotencyKeyIsAnotherRequest() throws Exception {
        String dev = "dev_key_other_coid";
        reset(dev, "100000.00");
        JsonObject order = new JsonObject().put("symbol", "600000.SH").put("side", "buy").put("type", "limit")
                .put("price", "10.00").put("qty", 100).put("client_order_id", "c1-key");
        HttpResponse<Buffer> first = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/orders")
                .putHeader("Idempotency-Key", "k-coid-1").sendJsonObject(order));
        assertEquals(201, first.statusCode(), first.bodyAsString());
        HttpResponse<Buffer> retry = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/orders")
                .putHeader("Idempotency-Key", "k-coid-1").sendJsonObject(order));
        assertEquals(200, retry.statusCode(), retry.bodyAsString());
        assertEquals(first.bodyAsJsonObject().getString("order_id"), retry.bodyAsJsonObject().getString("order_id"));
        HttpResponse<Buffer> other = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/orders")
                .putHeader("Idempotency-Key", "k-coid-1").sendJsonObject(order.copy().put("client_order_id", "c2-key")));
        assertEquals(409, other.statusCode(), other.bodyAsString());
        assertEquals(-4115, other.bodyAsJsonObject().getInteger("error_no"), other.bodyAsString());
        assertEquals(404, h.send(HttpMethod.GET, dev, "/v1/orders/by-client-id/c2-key", null).statusCode(),
                "no order c2-key");
    }

    /**
     * Two replaces of one order sent at once, one of the price and one of the quantity: both changes stay. The
     * second used to fill the field it left out from the ledger, which did not have the first yet, and sent the old
     * value back: one change lost while both answered 200.
     */
    @Test
    void twoReplacesOfOneOrderAtOnceKeepBothChanges() throws Exception {
        String dev = "dev_two_replaces";
        reset(dev, "100000.00");
        for (int round = 0; round < 5; round++) {
            HttpResponse<Buffer> placed = h.send(HttpMethod.POST, dev, "/v1/orders", new JsonObject().put("symbol", "600000.SH")
                    .put("side", "buy").put("type", "limit").put("price", "10.00").put("qty", 100));
            assertEquals(201, placed.statusCode(), placed.bodyAsString());
            String id = placed.bodyAsJsonObject().getString("order_id");
            var price = h.request(HttpMethod.PATCH, dev, "/v1/orders/" + id).sendJsonObject(new JsonObject().put("price", "10.01"));
            var qty = h.request(HttpMethod.PATCH, dev, "/v1/orders/" + id).sendJsonObject(new JsonObject().put("qty", 200));
            assertEquals(200, TradeHarness.await(price).statusCode());
            assertEquals(200, TradeHarness.await(qty).statusCode());
            h.until(() -> {
                try {
                    JsonObject o = h.send(HttpMethod.GET, dev, "/v1/orders/" + id, null).bodyAsJsonObject();
                    return "10.01".equals(o.getString("price")) && o.getLong("qty") == 200;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 10);
            assertEquals(200, h.send(HttpMethod.DELETE, dev, "/v1/orders/" + id, null).statusCode());
        }
    }

    /** A cancel-all's query is part of its request: another symbol under the same key is another request. */
    @Test
    void aCancelAllOfAnotherSymbolUnderTheSameKeyIsAnotherRequest() throws Exception {
        String dev = "dev_key_cancel_all";
        reset(dev, "100000.00");
        HttpResponse<Buffer> placed = h.send(HttpMethod.POST, dev, "/v1/orders", new JsonObject().put("symbol", "600000.SH")
                .put("side", "buy").put("type", "limit").put("price", "10.00").put("qty", 100));
        assertEquals(201, placed.statusCode(), placed.bodyAsString());
        HttpResponse<Buffer> first = TradeHarness.await(h.request(HttpMethod.DELETE, dev, "/v1/orders?symbol=600000.SH")
                .putHeader("Idempotency-Key", "k-ca-1").send());
        assertEquals(200, first.statusCode(), first.bodyAsString());
        HttpResponse<Buffer> again = TradeHarness.await(h.request(HttpMethod.DELETE, dev, "/v1/orders?symbol=600000.SH")
                .putHeader("Idempotency-Key", "k-ca-1").send());
        assertEquals(first.bodyAsString(), again.bodyAsString(), "the same request: the first answer again");
        for (String other : new String[] {"/v1/orders?symbol=000001.SZ", "/v1/orders"}) {
            HttpResponse<Buffer> r = TradeHarness.await(h.request(HttpMethod.DELETE, dev, other)
                    .putHeader("Idempotency-Key", "k-ca-1").send());
            assertEquals(409, r.statusCode(), other + ": " + r.bodyAsString());
            assertEquals(-4115, r.bodyAsJsonObject().getInteger("error_no"), r.bodyAsString());
        }
    }

    @Test
    void twoRequestsUnderOneIdempotencyKeyAtOnceRunOnce() throws Exception {
        String dev = "dev_same_key";
        reset(dev, "100000.00");
        for (int round = 0; round < 5; round++) {
            String key = "same-key-" + round;
            long before = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            var first = h.request(HttpMethod.POST, dev, "/v1/account/reset").putHeader("Idempotency-Key", key)
                    .sendJsonObject(new JsonObject().put("starting_balance", "5000.00"));
            var second = h.request(HttpMethod.POST, dev, "/v1/account/reset").putHeader("Idempotency-Key", key)
                    .sendJsonObject(new JsonObject().put("starting_balance", "5000.00"));
            HttpResponse<Buffer> a = TradeHarness.await(first);
            HttpResponse<Buffer> b = TradeHarness.await(second);
            long after = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            assertEquals(1, after - before, "one reset recorded: " + a.bodyAsString() + " / " + b.bodyAsString());
            for (HttpResponse<Buffer> r : java.util.List.of(a, b)) {
                assertTrue(r.statusCode() == 200 || r.statusCode() == 409 && r.bodyAsJsonObject().getInteger("error_no") == -4115
                        && "1".equals(r.getHeader("Retry-After")), r.statusCode() + " " + r.bodyAsString());
            }
            assertTrue(a.statusCode() == 200 || b.statusCode() == 200);
            HttpResponse<Buffer> retry = TradeHarness.await(h.request(HttpMethod.POST, dev, "/v1/account/reset")
                    .putHeader("Idempotency-Key", key).sendJsonObject(new JsonObject().put("starting_balance", "5000.00")));
            assertEquals(200, retry.statusCode(), "the answer again once it is given: " + retry.bodyAsString());
            assertEquals(after, (long) h.onTrade(() -> h.trade.desk().lastIntentAppended()));
        }
    }

    @Test
    void theKillSwitchRecordsOnlyChangesAndLiftingItCountsAgainstTheOrderRate() throws Exception {
        String dev = "dev_kill_loop";
        reset(dev, "100000.00");
        long before = h.onTrade(() -> h.trade.desk().lastIntentAppended());
        for (int i = 0; i < 100; i++) {
            HttpResponse<Buffer> r = h.send(HttpMethod.POST, dev, "/v1/account/kill-switch", new JsonObject().put("enabled", false));
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertEquals(false, r.bodyAsJsonObject().getBoolean("kill_switch"));
        }
        assertEquals(before, (long) h.onTrade(() -> h.trade.desk().lastIntentAppended()), "nothing changed, nothing recorded");

        // Switching on and off in a loop: on always works, off is an order against the rate (50 a second here).
        int refused = 0;
        long changes = 0;
        boolean on = false;
        for (int i = 0; i < 120; i++) {
            HttpResponse<Buffer> r = h.send(HttpMethod.POST, dev, "/v1/account/kill-switch", new JsonObject().put("enabled", true));
            assertEquals(200, r.statusCode(), r.bodyAsString());
            changes += on ? 0 : 1;
            on = true;
            HttpResponse<Buffer> off = h.send(HttpMethod.POST, dev, "/v1/account/kill-switch", new JsonObject().put("enabled", false));
            if (off.statusCode() == 429) {
                refused++;
                assertEquals(-4109, off.bodyAsJsonObject().getInteger("error_no"), off.bodyAsString());
                assertEquals("1", off.getHeader("Retry-After"));
            } else {
                assertEquals(200, off.statusCode(), off.bodyAsString());
                changes++;
                on = false;
            }
        }
        assertTrue(refused > 0, "lifting it 120 times at once meets the order rate");
        assertEquals(changes, h.onTrade(() -> h.trade.desk().lastIntentAppended()) - before, "one record per change");
        assertEquals(on, h.get(dev, "/v1/account").bodyAsJsonObject().getBoolean("kill_switch"));
    }

    @Test
    void aReplaceAndANewOrderSentTogetherCannotBothSpendTheSameCash() throws Exception {
        String dev = "dev_replace_race";
        reset(dev, "100000.00");
        String id = restingBuy(dev, "race-1", 4_500);
        // Each alone fits (about 45 000 more, or a new 50 000); together they need 95 000 of the 55 000 left.
        var replace = h.request(HttpMethod.PATCH, dev, "/v1/orders/" + id).sendJsonObject(new JsonObject().put("qty", 9_000));
        var other = h.request(HttpMethod.POST, dev, "/v1/orders")
                .sendJsonObject(TradeHarness.limit("race-2", "600000.SH", "buy", "10.00", 5_000));
        HttpResponse<Buffer> a = TradeHarness.await(replace);
        HttpResponse<Buffer> b = TradeHarness.await(other);
        assertEquals(200, a.statusCode(), a.bodyAsString());
        assertEquals(422, b.statusCode(), "the replace's cash is spent from its request on: " + b.bodyAsString());
        assertEquals(-4101, b.bodyAsJsonObject().getInteger("error_no"));
        assertTrue(buyingPower(dev).signum() >= 0, buyingPower(dev).toPlainString());
        // Once the exchange has it, the hold is the order's own reservation: what is left is spendable again.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (h.get(dev, "/v1/orders/" + id).bodyAsJsonObject().getLong("leaves_qty") != 9_000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        BigDecimal left = buyingPower(dev);
        assertTrue(left.compareTo(new BigDecimal("9000")) > 0 && left.compareTo(new BigDecimal("10000")) < 0, left.toPlainString());
        HttpResponse<Buffer> fits = h.order(dev, TradeHarness.limit("race-3", "600000.SH", "buy", "10.00", 800));
        assertEquals(201, fits.statusCode(), "the hold went when the ledger took the replace: " + fits.bodyAsString());
    }
}
