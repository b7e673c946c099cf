package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of market-api on its embedded store: history survives, and trades that happened while
 * it was down are taken from the exchange's feed, so the trade list and the bars have no duplicate
 * and no hole.
 */
class MarketRestartTest {
    @TempDir
    Path dir;

    @Test
    void restartKeepsHistoryAndContinuesWithoutDuplicateOrHole() throws Exception {
        String sym = "600036.SH";
        try (MarketHarness h = MarketHarness.start(dir.resolve("market"), false, 1)) {
            long id = 1;
            for (int i = 0; i < 5; i++) {
                h.limit(id++, "maker", sym, "SELL", "41.90", 100);
                h.limit(id++, "taker", sym, "BUY", "41.90", 100);
            }
            h.until(() -> volume(h, sym) == 500, 10);
            h.until(() -> h.market.metrics().contains("market_history_buffered 0"), 10);
            String ch = "trades:" + sym;
            String epoch;
            try (MarketStreamWiringTest.Client c = MarketStreamWiringTest.Client.connect(h.vertx, h.market.port(), true)) {
                c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(ch)));
                JsonObject sub = c.next(f -> "subscribed".equals(f.getString("type")));
                epoch = sub.getString("epoch");
                assertEquals(5L, sub.getJsonObject("seqs").getLong(ch), "the symbol's five trades so far");
            }
            h.stopMarket();
            for (int i = 0; i < 3; i++) { // while market-api is down
                h.limit(id++, "maker", sym, "SELL", "41.95", 100);
                h.limit(id++, "taker", sym, "BUY", "41.95", 100);
            }
            h.restartMarket();
            h.limit(id++, "maker", sym, "SELL", "42.00", 100);
            h.limit(id++, "taker", sym, "BUY", "42.00", 100);
            h.until(() -> volume(h, sym) == 900, 10);

            // A client of the process before resumes from its last seq: the trades stored before the stop, those
            // made while it was down and the one after, numbered as the exchange counts them.
            try (MarketStreamWiringTest.Client c = MarketStreamWiringTest.Client.connect(h.vertx, h.market.port(), true)) {
                c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(ch))
                        .put("resume", new JsonObject().put(ch, 4L)).put("epoch", epoch));
                JsonObject sub = c.next(f -> "subscribed".equals(f.getString("type")));
                assertEquals(9L, sub.getJsonObject("seqs").getLong(ch));
                String[] prices = {"41.90", "41.95", "41.95", "41.95", "42.00"};
                for (long seq = 5; seq <= 9; seq++) {
                    JsonObject f = c.next(MarketStreamWiringTest.on(ch));
                    assertEquals(seq, f.getLong("seq"), f.encode());
                    assertEquals(prices[(int) (seq - 5)], f.getJsonObject("data").getString("price"), f.encode());
                }
            }

            JsonArray trades = h.get("/v1/market/trades/" + sym + "?limit=100").bodyAsJsonObject().getJsonArray("items");
            assertEquals(9, trades.size(), trades.encodePrettily());
            Set<String> ids = new HashSet<>();
            for (Object o : trades) {
                ids.add(((JsonObject) o).getString("trade_id"));
            }
            assertEquals(9, ids.size(), "no trade twice");
            JsonArray bars = h.get("/v1/market/klines/" + sym + "?interval=1m").bodyAsJsonObject().getJsonArray("bars");
            long barVolume = 0;
            for (Object o : bars) {
                barVolume += ((JsonObject) o).getLong("volume");
            }
            assertEquals(900, barVolume, "the bars hold every trade once: " + bars.encode());
            JsonObject quote = h.get("/v1/market/quotes?symbols=" + sym).bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
            assertEquals(9, quote.getLong("trades"));
            assertEquals("42.00", quote.getString("last"));
            assertEquals("41.90", quote.getString("open"));
        }
    }

    private static long volume(MarketHarness h, String sym) {
        try {
            return h.get("/v1/market/quotes?symbols=" + sym).bodyAsJsonObject().getJsonArray("items").getJsonObject(0)
                    .getLong("volume");
        } catch (Exception e) {
            return -1;
        }
    }
}
