package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * trade-api's state ahead of the exchange's (the exchange's data was deleted, trade-api's kept): it
 * stops following that shard for good (the exchange's next events are another history's), and its
 * {@code /ready} says why and what to do, instead of only "catching up"; its API and order stream answer
 * 503 -9001 meanwhile.
 */
class TradeAheadOfExchangeTest {
    @TempDir
    Path dir;

    @Test
    void readinessNamesAnExchangeBehindTradeApisState() throws Exception {
        try (TradeHarness h = TradeHarness.start(dir)) {
            assertEquals(201, h.order("dev_a", TradeHarness.limit("a-1", "600000.SH", "buy", "10.00", 100)).statusCode());
            h.stopTrade(); // a clean stop: its snapshot covers the feed up to the order's events
        }
        try (TradeHarness h = TradeHarness.start(dir, Map.of("OPENTRADE_EXCHANGE_DATA_DIR",
                dir.resolve("fresh-exchange").toString()), false)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            JsonObject ready;
            while (true) {
                ready = h.get(null, "/ready").bodyAsJsonObject();
                if (ready.encode().contains("histories differ")) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "no reason given: " + ready.encode());
                Thread.sleep(50); // polling /ready with a deadline, not a fixed wait
            }
            assertFalse(ready.getBoolean("ready"), ready.encode());
            assertTrue(ready.getJsonArray("feed").getString(0).startsWith("shard 0 diverged at "), ready.encode());
            assertTrue(ready.encode().contains("move its data directory aside"), ready.encode());
            // Not ready: nothing to announce to gateways, and neither the API nor a stream serves a stale state.
            assertFalse(h.trade.whenReady().isComplete());
            for (String path : new String[] {"/v1/orders", "/v1/stream/orders"}) {
                var r = h.get("dev_a", path);
                assertEquals(503, r.statusCode(), path + ": " + r.bodyAsString());
                assertEquals(-9001, r.bodyAsJsonObject().getInteger("error_no"), r.bodyAsString());
            }
        }
    }
}
