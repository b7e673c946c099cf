package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderStatus;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.intent.NewOrder;
import org.opentrade.trade.port.IntentStore;

/**
 * An order whose frame went out but whose intent a crash lost is told as rejected at the next start, and
 * that rejection takes a seq the replay cannot make again. The account's seq after it is logged, so every
 * later start (from a snapshot, or rebuilding from the log alone) numbers what followed as it went out, and
 * none tells the rejection twice.
 */
class LostOrderNumberingTest {
    private static final String DEV = "dev_a";

    @TempDir
    Path dir;

    /** Loses the intent of the order with client order id "lost": never stored, never durable, as in a crash. */
    private static final class LosingIntentStore extends DelegatingIntentStore {
        LosingIntentStore(IntentStore store) {
            super(store);
        }

        @Override
        public boolean append(Intent intent, LongConsumer durable) {
            if (intent instanceof NewOrder n && n.clientOrderId().equals("lost")) {
                return true;
            }
            return store.append(intent, durable);
        }
    }

    @Test
    void theSeqsAfterALostOrdersRejectionAreTheSameAfterARestartAndAfterARebuild() throws Exception {
        try (TradeHarness h = TradeHarness.start(dir, Map.of(), true, LosingIntentStore::new)) {
            assertEquals(201, h.order(DEV, TradeHarness.limit("a1", "601398.SH", "buy", "7.00", 100)).statusCode());
            h.request(HttpMethod.POST, DEV, "/v1/orders").sendJsonObject(TradeHarness.limit("lost", "601398.SH", "buy",
                    "7.00", 200)); // never answered: its intent is never durable
            h.until(() -> order(h, "lost") != null, 10);
        }

        long rejectedAt;
        long b1;
        try (TradeHarness h = TradeHarness.start(dir)) {
            assertEquals(1L, reconciled(h), "the lost order told as rejected");
            rejectedAt = seq(h);
            assertEquals(201, h.order(DEV, TradeHarness.limit("b1", "601398.SH", "buy", "7.00", 300)).statusCode());
            h.until(() -> order(h, "b1").status() == OrderStatus.NEW, 10);
            b1 = order(h, "b1").updateSeq();
            assertEquals(rejectedAt + 2, b1, "b1 pending_new, then new, after the rejection");
        }

        // From the snapshot taken at the clean stop, then from the log alone: b1 keeps its seq, nothing is told again.
        for (boolean rebuild : new boolean[] {false, true}) {
            if (rebuild) {
                try (Stream<Path> files = Files.walk(dir.resolve("trade/snapshots"))) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            try (TradeHarness h = TradeHarness.start(dir)) {
                String how = rebuild ? "a rebuild from the log" : "a restart from the snapshot";
                assertEquals(0L, reconciled(h), how + " tells nothing again");
                assertEquals(b1, order(h, "b1").updateSeq(), "b1's seq after " + how);
                assertEquals(b1, seq(h), "the account's seq after " + how);
                assertEquals(OrderStatus.NEW, order(h, "a1").status(), how);
            }
        }
    }

    private static Order order(TradeHarness h, String clientOrderId) {
        try {
            return h.onTrade(() -> h.trade.desk().ledger().hasAccount(DEV)
                    ? h.trade.desk().ledger().orderByClientId(DEV, clientOrderId) : null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Orders this process told as they now are, or as rejected, at the end of its recovery. */
    @Test
    void ordersTheReplayDroppedFromTheBoundedHistoryAreNotToldAsLost() throws Exception {
        // A rebuild from the log alone (no snapshot) replays 130 orders that ended at the exchange (IOC, nothing
        // to match at 10.00) into a ledger keeping 100 closed ones: the 30 oldest are made and then dropped. They
        // were told as "rejected, never reached the exchange", permanently, though each had reached it and ended.
        try (TradeHarness h = TradeHarness.start(dir, Map.of("OPENTRADE_TRADE_HISTORY_KEPT", "100"))) {
            for (int i = 0; i < 130; i++) {
                io.vertx.core.json.JsonObject o = TradeHarness.limit("ioc-" + i, "600000.SH", "buy", "10.00", 100)
                        .put("time_in_force", "ioc");
                assertEquals(201, h.order(DEV, o).statusCode());
                Thread.sleep(25); // within the account's 50 orders a second
            }
            h.until(() -> order(h, "ioc-129") != null && !order(h, "ioc-129").status().isOpen(), 20);
            TradeRestartScenario.caughtUp(h);
            h.stopTrade();
            try (Stream<Path> s = Files.list(dir.resolve("trade/snapshots"))) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".snap")).toList()) {
                    Files.delete(p);
                }
            }
            h.startTrade();
            TradeRestartScenario.caughtUp(h);
            assertEquals(0L, reconciled(h), "nothing to tell: every order's last frame is how it ended");
            assertEquals(null, order(h, "ioc-0"), "the oldest are out of the bounded history");
        }
    }

    private static long reconciled(TradeHarness h) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\ntrade_stream_orders_reconciled_total ([0-9]+)\n")
                .matcher(h.trade.metrics());
        if (!m.find()) {
            throw new AssertionError("no trade_stream_orders_reconciled_total in " + h.trade.metrics());
        }
        return Long.parseLong(m.group(1));
    }

    private static long seq(TradeHarness h) throws Exception {
        return h.onTrade(() -> h.trade.desk().ledger().lastUpdateSeq(DEV));
    }
}
