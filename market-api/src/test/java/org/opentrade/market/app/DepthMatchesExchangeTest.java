package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.client.ExchangeAddresses;

/**
 * The L2 book market-api serves equals the exchange's own book after a seeded random order flow
 * (limits across the spread, markets, cancels, replaces) on three symbols, compared level by level
 * with the exchange's snapshot at the same sequence, with quote volume and last price.
 */
class DepthMatchesExchangeTest {
    private static final String[] SYMBOLS = {"600000.SH", "000001.SZ", "300750.SZ"};
    private static final long[] MID = {1045, 1152, 25130};

    @Test
    void servedDepthEqualsTheExchangesBookAfterARandomFlow() throws Exception {
        try (MarketHarness h = MarketHarness.start(null, false, 1)) {
            SplittableRandom r = new SplittableRandom(42);
            long id = 100_000;
            for (int i = 0; i < 1_500; i++) {
                int s = r.nextInt(SYMBOLS.length);
                String side = r.nextBoolean() ? "BUY" : "SELL";
                int op = r.nextInt(10);
                if (op < 7) {
                    long px = MID[s] + r.nextInt(-12, 13);
                    h.limit(id++, "acct-" + r.nextInt(5), SYMBOLS[s], side, String.format("%d.%02d", px / 100, px % 100),
                            100L * r.nextInt(1, 8));
                } else if (op < 8) {
                    h.order(new JsonObject().put("type", "NEW_ORDER").put("order_id", id++).put("account", "mkt")
                            .put("symbol", SYMBOLS[s]).put("side", side).put("order_type", "MARKET").put("tif", "IOC")
                            .put("qty", 100L * r.nextInt(1, 4)));
                } else if (op < 9) {
                    h.order(new JsonObject().put("type", "CANCEL").put("order_id", 100_000 + r.nextLong(id - 100_000))
                            .put("account", "x").put("symbol", SYMBOLS[s]));
                } else {
                    long px = MID[s] + r.nextInt(-12, 13);
                    h.order(new JsonObject().put("type", "REPLACE").put("order_id", 100_000 + r.nextLong(id - 100_000))
                            .put("account", "x").put("symbol", SYMBOLS[s])
                            .put("price", String.format("%d.%02d", px / 100, px % 100)).put("qty", 100L * r.nextInt(1, 8)));
                }
            }
            for (String sym : SYMBOLS) {
                JsonObject snap = ((JsonObject) MarketHarness.await(h.vertx.eventBus().request(ExchangeAddresses.FEED_SNAPSHOT,
                        new JsonObject().put("symbol", sym))).body()).getJsonObject("snapshot");
                long seq = snap.getLong("seq");
                h.until(() -> h.market.appliedSeq(0) >= seq, 10);
                JsonObject depth = h.get("/v1/market/depth/" + sym + "?levels=20").bodyAsJsonObject();
                assertEquals(top(snap.getJsonArray("bids")), depth.getJsonArray("bids"), sym + " bids");
                assertEquals(top(snap.getJsonArray("asks")), depth.getJsonArray("asks"), sym + " asks");
                JsonObject q = h.get("/v1/market/quotes?symbols=" + sym).bodyAsJsonObject().getJsonArray("items")
                        .getJsonObject(0);
                assertEquals(snap.getLong("volume"), q.getLong("volume"), sym + " volume");
                assertEquals(snap.getString("turnover"), q.getString("turnover"), sym + " turnover");
                if (snap.getLong("volume") > 0) {
                    assertEquals(snap.getString("last"), q.getString("last"), sym + " last");
                }
            }
        }
    }

    /** The exchange's levels ({price, qty, orders} objects or arrays) as the top 20 [price, qty] pairs. */
    private static JsonArray top(JsonArray levels) {
        JsonArray out = new JsonArray();
        for (int i = 0; i < Math.min(20, levels.size()); i++) {
            Object l = levels.getValue(i);
            if (l instanceof JsonObject o) {
                out.add(new JsonArray().add(o.getString("price")).add(o.getLong("qty")));
            } else {
                JsonArray a = (JsonArray) l;
                out.add(new JsonArray().add(a.getString(0)).add(a.getLong(1)));
            }
        }
        return out;
    }
}
