package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.client.ExchangeAddresses;

/**
 * trade-api's state survives restarts exactly, whatever store keeps its intents and snapshots: after a
 * clean stop (from its snapshot) and after losing every snapshot (a clean rebuild from the intent log
 * and the exchange's feed from seq 1), every account hashes the same as before, and retries still find
 * their orders. A subclass names the store ({@link #start}) and how its snapshots are lost
 * ({@link #dropSnapshots}).
 */
abstract class TradeRestartScenario {
    /** The exchange and trade-api on the store under test. */
    abstract TradeHarness start() throws Exception;

    /** Deletes every trade-api snapshot (trade-api is stopped), so the next start rebuilds from scratch. */
    abstract void dropSnapshots() throws Exception;

    /** Called once the live state is built, before the first restart: the state is in the store under test. */
    void assertStoredWhereConfigured() throws Exception {
    }

    static void resting(TradeHarness h, long id, String symbol, String side, String price, long qty) throws Exception {
        h.vertx.eventBus().request(ExchangeAddresses.COMMANDS, new JsonObject().put("type", "NEW_ORDER").put("order_id", id)
                .put("account", "sim-mm-0").put("symbol", symbol).put("side", side).put("order_type", "LIMIT")
                .put("tif", "GTC").put("price", price).put("qty", qty)).toCompletionStage().toCompletableFuture().get();
    }

    /** Waits until trade-api has applied every event the exchange has published. */
    static void caughtUp(TradeHarness h) throws Exception {
        long head = ((JsonObject) TradeHarness.await(h.vertx.eventBus().request(ExchangeAddresses.FEED_INFO,
                new JsonObject())).body()).getJsonArray("head_seq").getLong(0);
        h.until(() -> {
            try {
                return h.onTrade(() -> h.trade.desk().ledger().feedPosition(0)) >= head;
            } catch (Exception e) {
                return false;
            }
        }, 10);
    }

    /** What every account's owner sees: account, all orders, fills, positions. */
    static String dump(TradeHarness h) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String dev : new String[] {"dev_a", "dev_b", "dev_c"}) {
            sb.append(dev).append(' ').append(h.get(dev, "/v1/account").bodyAsString()).append('\n');
            sb.append(h.get(dev, "/v1/orders?status=all").bodyAsString()).append('\n');
            sb.append(h.get(dev, "/v1/fills").bodyAsString()).append('\n');
            sb.append(h.get(dev, "/v1/positions").bodyAsString()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void accountsAfterARestartAndAfterACleanRebuildEqualTheLiveOnes() throws Exception {
        try (TradeHarness h = start()) {
            resting(h, 9_100_000_001L, "601398.SH", "SELL", "7.12", 5_000);
            resting(h, 9_100_000_002L, "601398.SH", "BUY", "7.05", 5_000);
            assertEquals(201, h.order("dev_a", TradeHarness.limit("a1", "601398.SH", "buy", "7.12", 1_000)).statusCode());
            assertEquals(201, h.order("dev_a", TradeHarness.limit("a2", "601398.SH", "sell", "7.05", 300)).statusCode());
            assertEquals(201, h.order("dev_b", TradeHarness.limit("b1", "601398.SH", "buy", "7.12", 700)).statusCode());
            assertEquals(201, h.order("dev_b", TradeHarness.limit("b2", "600000.SH", "buy", "10.00", 100)).statusCode());
            assertEquals(200, h.send(HttpMethod.POST, "dev_c", "/v1/account/reset",
                    new JsonObject().put("starting_balance", "50000.00")).statusCode());
            assertEquals(201, h.order("dev_c", TradeHarness.limit("c1", "601398.SH", "buy", "7.12", 100)).statusCode());
            assertEquals(200, h.send(HttpMethod.POST, "dev_b", "/v1/account/kill-switch",
                    new JsonObject().put("enabled", true)).statusCode());
            h.until(() -> {
                try {
                    return h.get("dev_c", "/v1/fills").bodyAsJsonObject().getJsonArray("items").size() == 1;
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            caughtUp(h);
            long live = h.onTrade(() -> h.trade.desk().stateHash());
            String liveDump = dump(h);
            JsonObject liveAccount = h.get("dev_a", "/v1/account").bodyAsJsonObject();
            assertStoredWhereConfigured();

            h.stopTrade();
            h.startTrade();
            caughtUp(h);
            assertEquals(live, (long) h.onTrade(() -> h.trade.desk().stateHash()), "after a clean restart");
            assertEquals(liveAccount.getString("cash"), h.get("dev_a", "/v1/account").bodyAsJsonObject().getString("cash"));
            assertEquals(liveDump, dump(h), "every account's view after a clean restart");

            h.stopTrade();
            dropSnapshots();
            h.startTrade();
            caughtUp(h);
            assertEquals(liveDump, dump(h), "every account's view after a clean rebuild");
            // The rebuild applied every new order's intent while the feed caught up, each between the
            // feed's events: their updates went to the order stream too, whose seqs never jumped.
            assertEquals(0, h.trade.metrics().lines().filter(l -> l.startsWith("trade_stream_seq_jumps_total "))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1))).sum(), h.trade.metrics());
            assertEquals(live, (long) h.onTrade(() -> h.trade.desk().stateHash()),
                    "a clean rebuild from all intents and the feed from seq 1");
            HttpResponse<Buffer> retry = h.order("dev_a", TradeHarness.limit("a1", "601398.SH", "buy", "7.12", 1_000));
            assertEquals(200, retry.statusCode(), "a retry after restarts finds the original order: " + retry.bodyAsString());
            HttpResponse<Buffer> killed = h.order("dev_b", TradeHarness.limit("b3", "600000.SH", "buy", "10.00", 100));
            assertEquals(-4110, killed.bodyAsJsonObject().getInteger("error_no"), "the kill switch survives");
        }
    }

    private static HttpResponse<Buffer> keyed(TradeHarness h, HttpMethod method, String dev, String uri, JsonObject body,
                                              String key) throws Exception {
        var r = h.request(method, dev, uri).putHeader("Idempotency-Key", key);
        return TradeHarness.await(body == null ? r.send() : r.sendJsonObject(body));
    }

    private static String resting(TradeHarness h, String dev, String cid) throws Exception {
        HttpResponse<Buffer> placed = h.order(dev, TradeHarness.limit(cid, "600000.SH", "buy", "10.00", 100));
        assertEquals(201, placed.statusCode(), placed.bodyAsString());
        return placed.bodyAsJsonObject().getString("order_id");
    }

    /**
     * A mutation sent with an Idempotency-Key and retried after a restart (its client never got the answer) gets
     * its first answer again instead of running a second time: the cancel is not "not open" now, the cancel-all
     * does not cancel the order placed since, and the reset does not wipe the account again.
     */
    @Test
    void mutationsRetriedWithTheirIdempotencyKeysAfterARestartGetTheirFirstAnswers() throws Exception {
        try (TradeHarness h = start()) {
            String dev = "dev_keys";
            JsonObject balance = new JsonObject().put("starting_balance", "100000.00");
            HttpResponse<Buffer> reset = keyed(h, HttpMethod.POST, dev, "/v1/account/reset", balance, "k-reset");
            assertEquals(200, reset.statusCode(), reset.bodyAsString());
            String first = resting(h, dev, "keys-1");
            HttpResponse<Buffer> cancel = keyed(h, HttpMethod.DELETE, dev, "/v1/orders/" + first, null, "k-cancel");
            assertEquals(200, cancel.statusCode(), cancel.bodyAsString());
            resting(h, dev, "keys-2");
            HttpResponse<Buffer> cancelAll = keyed(h, HttpMethod.DELETE, dev, "/v1/orders", null, "k-all");
            assertEquals(200, cancelAll.statusCode(), cancelAll.bodyAsString());
            assertEquals(1, cancelAll.bodyAsJsonObject().getJsonArray("items").size(), cancelAll.bodyAsString());
            String placedSince = resting(h, dev, "keys-3");

            h.stopTrade();
            h.startTrade();

            HttpResponse<Buffer> resetAgain = keyed(h, HttpMethod.POST, dev, "/v1/account/reset", balance, "k-reset");
            assertEquals(200, resetAgain.statusCode(), resetAgain.bodyAsString());
            assertEquals(reset.bodyAsJsonObject(), resetAgain.bodyAsJsonObject(), "the first reset's answer");
            HttpResponse<Buffer> cancelAgain = keyed(h, HttpMethod.DELETE, dev, "/v1/orders/" + first, null, "k-cancel");
            assertEquals(200, cancelAgain.statusCode(), "not 'not open': " + cancelAgain.bodyAsString());
            assertEquals(cancel.bodyAsJsonObject(), cancelAgain.bodyAsJsonObject());
            HttpResponse<Buffer> cancelAllAgain = keyed(h, HttpMethod.DELETE, dev, "/v1/orders", null, "k-all");
            assertEquals(cancelAll.bodyAsJsonObject(), cancelAllAgain.bodyAsJsonObject(), cancelAllAgain.bodyAsString());
            JsonObject since = h.get(dev, "/v1/orders/" + placedSince).bodyAsJsonObject();
            assertEquals("new", since.getString("status"), "neither the reset nor the cancel-all ran again: " + since);
            HttpResponse<Buffer> other = keyed(h, HttpMethod.DELETE, dev, "/v1/orders/" + placedSince, null, "k-cancel");
            assertEquals(409, other.statusCode(), "another request under the key is a conflict: " + other.bodyAsString());
        }
    }
}
