package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;

/**
 * The universe in the format exchange.yaml documents, {@code symbol,name,prev_close} (float shares and EPS
 * left out), from the exchange's file to market-api's answers: market-api starts on it and shows both
 * figures as unknown. The exchange sent an unknown EPS as "" and market-api refused the whole reply.
 */
class ThreeColumnUniverseTest {
    @TempDir
    Path dir;

    @Test
    void marketApiStartsOnAUniverseWithoutFloatSharesAndEps() throws Exception {
        Path universe = dir.resolve("universe.csv");
        Files.writeString(universe, "symbol,name,prev_close\n600000.SH,浦发银行,10.45\n000001.SZ,平安银行,11.20\n");
        try (MarketHarness h = MarketHarness.start(Map.of("OPENTRADE_EXCHANGE_INSTRUMENTS", universe.toString()),
                c -> new InMemoryTimeSeriesStore())) {
            JsonObject pf = h.get("/v1/market/instruments/600000.SH").bodyAsJsonObject();
            assertEquals("10.45", pf.getString("prev_close"), pf.encode());
            assertEquals(0L, pf.getLong("float_shares"), "unknown: " + pf.encode());
            assertEquals("0.00", pf.getString("eps"), "unknown: " + pf.encode());

            h.limit(1, "alice", "600000.SH", "SELL", "10.50", 300);
            h.limit(2, "bob", "600000.SH", "BUY", "10.50", 300);
            h.until(() -> quote(h).getLong("volume") == 300, 10);
            JsonObject q = quote(h);
            assertEquals("0.00", q.getString("turnover_rate_pct"), "no float shares, no rate: " + q.encode());
            assertNull(q.getValue("pe"), "no EPS, no P/E: " + q.encode());
            assertEquals(200, h.get("/v1/market/rankings?by=turnover_rate").statusCode());
        }
    }

    private static JsonObject quote(MarketHarness h) {
        try {
            return h.get("/v1/market/quotes?symbols=600000.SH").bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
