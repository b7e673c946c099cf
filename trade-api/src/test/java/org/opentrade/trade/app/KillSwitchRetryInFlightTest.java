package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill switch asked again while the request that set it is still being recorded ("already on": nothing new to
 * record) is answered only once that record is durable: the switch is in memory as soon as its intent is appended,
 * and answering the second request then confirmed a switch that a crash in the next instant lost (a client whose
 * first request timed out on a slow store and who sent it again was told "on"; after a restart the account traded).
 */
class KillSwitchRetryInFlightTest {
    @TempDir
    Path dir;

    @Test
    void aSecondKillSwitchIsNotAnsweredBeforeTheFirstIsDurable() throws Exception {
        TradeSnapshotInFlightTest.HeldIntentStore[] store = new TradeSnapshotInFlightTest.HeldIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true,
                s -> store[0] = new TradeSnapshotInFlightTest.HeldIntentStore(s))) {
            String dev = "dev_kill_in_flight";
            // No open order: a cancel of one would have been appended behind the switch and so waited for it anyway.
            long before = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            store[0].hold(); // the store is slow: the first switch is appended (and in memory), not durable
            JsonObject on = new JsonObject().put("enabled", true);
            var first = h.request(HttpMethod.POST, dev, "/v1/account/kill-switch").sendJsonObject(on);
            h.until(() -> {
                try {
                    return h.onTrade(() -> h.trade.desk().lastIntentAppended()) > before;
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            var again = h.request(HttpMethod.POST, dev, "/v1/account/kill-switch").sendJsonObject(on);
            // Answered early, it comes within milliseconds; waiting, it never comes while the store is held.
            boolean answeredEarly = IdempotencyKeyInFlightTest.answeredWithin(again, 2_000);
            store[0].release();
            var r1 = TradeHarness.await(first);
            var r2 = TradeHarness.await(again);
            assertFalse(answeredEarly, "answered before the switch was durable: " + r2.statusCode() + " " + r2.bodyAsString());
            assertEquals(200, r1.statusCode(), r1.bodyAsString());
            assertEquals(200, r2.statusCode(), r2.bodyAsString());
            assertEquals(true, r2.bodyAsJsonObject().getBoolean("kill_switch"), r2.bodyAsString());
            assertEquals(0, r2.bodyAsJsonObject().getInteger("open_orders"), r2.bodyAsString());
        }
    }
}
