package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reset, or a kill switch turned on, cancels the orders open when it was asked, not those placed while its record
 * was being written (found by review: the cancels ran over what was open once the record was durable).
 */
class ResetRaceTest {
    @TempDir
    Path dir;

    @Test
    void anOrderPlacedWhileAResetIsWrittenIsTheNewAccountsAndStays() throws Exception {
        TradeSnapshotInFlightTest.HeldIntentStore[] store = new TradeSnapshotInFlightTest.HeldIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true,
                s -> store[0] = new TradeSnapshotInFlightTest.HeldIntentStore(s))) {
            String dev = "dev_reset_race";
            HttpResponse<Buffer> before = h.order(dev, TradeHarness.limit("before-1", "600000.SH", "buy", "9.50", 100));
            assertEquals(201, before.statusCode(), before.bodyAsString());
            long appended = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            store[0].hold();
            var reset = h.request(HttpMethod.POST, dev, "/v1/account/reset")
                    .sendJsonObject(new JsonObject().put("starting_balance", "100000.00"));
            h.until(() -> {
                try {
                    return h.onTrade(() -> h.trade.desk().lastIntentAppended()) >= appended + 1;
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            var after = h.request(HttpMethod.POST, dev, "/v1/orders")
                    .sendJsonObject(TradeHarness.limit("after-1", "600000.SH", "buy", "9.50", 100));
            h.until(() -> {
                try {
                    return h.onTrade(() -> h.trade.desk().lastIntentAppended()) >= appended + 2;
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            store[0].release();
            assertEquals(200, TradeHarness.await(reset).statusCode());
            assertEquals(201, TradeHarness.await(after).statusCode());
            h.until(() -> "canceled".equals(status(h, dev, "before-1")), 10);
            Thread.sleep(300); // a cancel of after-1 would be on its way now: none must come
            assertEquals("new", status(h, dev, "after-1"), "placed after the reset: kept");
        }
    }

    private static String status(TradeHarness h, String dev, String clientOrderId) {
        try {
            return h.get(dev, "/v1/orders/by-client-id/" + clientOrderId).bodyAsJsonObject().getString("status");
        } catch (Exception e) {
            return null;
        }
    }
}
