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
 * cannot go live, and its {@code /ready} says why, shard by shard, instead of only "catching up".
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
                // The exchange refuses the replay (after_seq beyond its last event), or answers with a head
                // behind this consumer's position: either names the mismatch.
                if (ready.encode().contains("beyond the shard's last event")
                        || ready.encode().contains("is behind this consumer's position")) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "no reason given: " + ready.encode());
                Thread.sleep(50); // polling /ready with a deadline, not a fixed wait
            }
            assertFalse(ready.getBoolean("ready"), ready.encode());
            assertTrue(ready.getJsonArray("feed").getString(0).startsWith("shard 0 resuming at "), ready.encode());
        }
    }
}
