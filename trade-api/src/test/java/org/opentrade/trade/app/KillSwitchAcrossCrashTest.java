package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.intent.AccountReset;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.intent.KillSwitch;
import org.opentrade.trade.port.IntentStore;

/**
 * A kill switch or a reset whose record was stored but whose cancels never went out (trade-api died between
 * the two, as a kill -9 does) is carried out at the next start: the orders it left open at the exchange are
 * canceled, never left to fill under a switch that refuses new ones or against a reset account's cash.
 */
class KillSwitchAcrossCrashTest {
    private static final String DEV = "dev_crash";

    @TempDir
    Path dir;

    /** Stores kill switches and resets but never says they are durable: this process never sends their cancels. */
    private static final class SilentDurability extends DelegatingIntentStore {
        SilentDurability(IntentStore store) {
            super(store);
        }

        @Override
        public boolean append(Intent intent, LongConsumer durable) {
            if (intent instanceof KillSwitch || intent instanceof AccountReset r && r.startingCash() == 777_777_00L) {
                return store.append(intent, index -> { });
            }
            return store.append(intent, durable);
        }
    }

    private static Order order(TradeHarness h, String clientOrderId) throws Exception {
        return h.onTrade(() -> h.trade.desk().ledger().hasAccount(DEV)
                ? h.trade.desk().ledger().orderByClientId(DEV, clientOrderId) : null);
    }

    @Test
    void theOrdersAKillSwitchOrResetLeftOpenAreCanceledAtTheNextStart() throws Exception {
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true, SilentDurability::new)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(201, h.order(DEV, TradeHarness.limit("ks-" + i, "600000.SH", "buy", "10.00", 100)).statusCode());
            }
            h.request(HttpMethod.POST, DEV, "/v1/account/kill-switch").sendJsonObject(new JsonObject().put("enabled", true));
            h.until(() -> {
                try {
                    return h.onTrade(() -> h.trade.desk().killSwitch(DEV));
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            assertEquals("new", order(h, "ks-0").status().wireName(), "the cancels never went out");
        }
        try (TradeHarness h = TradeHarness.start(dir)) {
            for (int i = 0; i < 3; i++) {
                String id = "ks-" + i;
                h.until(() -> {
                    try {
                        return !order(h, id).status().isOpen();
                    } catch (Exception e) {
                        return false;
                    }
                }, 15);
                assertEquals("canceled", order(h, id).status().wireName());
            }
            assertTrue(h.get(DEV, "/v1/account").bodyAsJsonObject().getBoolean("kill_switch"));
        }
    }

    @Test
    void aResetsLeftOpenOrdersAreCanceledButOrdersPlacedAfterItStay() throws Exception {
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true, SilentDurability::new)) {
            assertEquals(201, h.order(DEV, TradeHarness.limit("before", "600000.SH", "buy", "10.00", 100)).statusCode());
            Thread.sleep(5); // a later millisecond than the order
            h.request(HttpMethod.POST, DEV, "/v1/account/reset").sendJsonObject(new JsonObject().put("starting_balance", "777777.00"));
            h.until(() -> {
                try {
                    return h.onTrade(() -> h.trade.desk().ledger().resetAt(DEV)) > order(h, "before").createdAt();
                } catch (Exception e) {
                    return false;
                }
            }, 10);
            Thread.sleep(5);
            assertEquals(201, h.order(DEV, TradeHarness.limit("after", "600000.SH", "buy", "10.00", 100)).statusCode());
        }
        try (TradeHarness h = TradeHarness.start(dir)) {
            h.until(() -> {
                try {
                    return !order(h, "before").status().isOpen();
                } catch (Exception e) {
                    return false;
                }
            }, 15);
            assertEquals("canceled", order(h, "before").status().wireName());
            assertEquals("new", order(h, "after").status().wireName(), "placed after the reset: kept");
        }
    }
}
