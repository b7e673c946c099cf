package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accounts.history_kept} changed between two runs over the same data: trade-api starts, keeps the newest
 * orders and fills the new bound allows, answers reads from what it keeps and counts what it dropped. Raised, a
 * rebuild from the intent log (no snapshot: lost, or a crash before the first) replays orders the first run had
 * dropped, and a {@code client_order_id} that run had freed and used again: the replay held the old order still, so
 * the new one was refused ("client order id already used") and trade-api did not start. Lowered, the snapshot's
 * history is cut to the new bound at start, oldest first, as a rebuild from the log under that bound would keep it.
 * A subclass names the store ({@link #storeEnv}) and how its snapshots are lost ({@link #dropSnapshots}).
 */
abstract class HistoryKeptChangeScenario {
    private static final String DEV = "dev_kept";
    private static final String SYMBOL = "601398.SH";

    /** Held: a logger only weakly referenced may be collected with the handler added to it. */
    private static final Logger SERVICE_LOG = Logger.getLogger(TradeApiService.class.getName());

    @TempDir
    Path dir;

    /** The config environment naming the store under test. */
    abstract Map<String, String> storeEnv() throws Exception;

    /** Deletes every trade-api snapshot (trade-api is stopped), so the next start rebuilds from the intent log. */
    abstract void dropSnapshots() throws Exception;

    /** trade-api's log lines about accounts.history_kept. */
    private final List<String> historyLines = new CopyOnWriteArrayList<>();
    private final Handler historyLog = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().contains("history_kept")) {
                historyLines.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @org.junit.jupiter.api.BeforeEach
    void listen() {
        SERVICE_LOG.addHandler(historyLog);
    }

    @org.junit.jupiter.api.AfterEach
    void stopListening() {
        SERVICE_LOG.removeHandler(historyLog);
    }

    private TradeHarness start(int kept) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(storeEnv());
        env.putAll(historyKept(kept));
        return TradeHarness.start(dir, env);
    }

    private Map<String, String> historyKept(int kept) throws IOException {
        Path yaml = dir.resolve("kept-" + kept + ".yaml");
        Files.writeString(yaml, "accounts:\n  history_kept: " + kept + "\nrisk:\n  max_orders_per_second: 100000\n");
        return Map.of("OPENTRADE_TRADE_CONFIG", yaml.toString());
    }

    /** An IOC buy into the maker's sell: filled at once (one fill), closed. Returns its order id. */
    private static String filled(TradeHarness h, String clientOrderId) throws Exception {
        HttpResponse<Buffer> r = h.order(DEV, TradeHarness.limit(clientOrderId, SYMBOL, "buy", "7.12", 100)
                .put("time_in_force", "ioc"));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("order_id");
    }

    /** Waits until no order of the account is open and trade-api has applied every event of the exchange. */
    private static void settled(TradeHarness h) throws Exception {
        h.until(() -> {
            try {
                return h.get(DEV, "/v1/orders?status=open").bodyAsJsonObject().getJsonArray("items").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, 30);
        TradeRestartScenario.caughtUp(h);
    }

    /** The account's orders kept, newest first, as their client order ids. */
    private static List<String> orders(TradeHarness h) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Object o : h.get(DEV, "/v1/orders?status=all&limit=500").bodyAsJsonObject().getJsonArray("items")) {
            ids.add(((JsonObject) o).getString("client_order_id"));
        }
        return ids;
    }

    /** The account's fills kept, newest first, as their orders' client order ids, read page by page. */
    private static List<String> fills(TradeHarness h) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = h.get(DEV, "/v1/fills?limit=40" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bodyAsJsonObject();
            for (Object f : page.getJsonArray("items")) {
                ids.add(((JsonObject) f).getString("client_order_id"));
            }
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        return ids;
    }

    private static long metric(TradeHarness h, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n" + name + " ([0-9]+)\n").matcher(h.trade.metrics());
        assertTrue(m.find(), name + " in " + h.trade.metrics());
        return Long.parseLong(m.group(1));
    }

    /** What the account's owner sees: money and positions, every order kept, every fill kept. */
    private static String seen(TradeHarness h) throws Exception {
        return h.get(DEV, "/v1/account").bodyAsString() + '\n'
                + h.get(DEV, "/v1/positions").bodyAsString() + '\n'
                + h.get(DEV, "/v1/orders?status=all&limit=500").bodyAsString() + '\n'
                + h.get(DEV, "/v1/fills?limit=500").bodyAsString();
    }

    /** c-from..c-to, newest first. */
    private static List<String> range(String prefix, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = to; i >= from; i--) {
            ids.add(prefix + i);
        }
        return ids;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    @Test
    void raisedThenLoweredTheHistoryKeepsTheNewestItMayAndEveryStartSucceeds() throws Exception {
        try (TradeHarness h = start(100)) {
            TradeRestartScenario.resting(h, 9_100_000_001L, SYMBOL, "SELL", "7.12", 1_000_000);
            for (int i = 0; i < 130; i++) {
                filled(h, "c-" + i);
            }
            settled(h);
            assertEquals(404, h.get(DEV, "/v1/orders/by-client-id/c-0").statusCode(), "c-0 was dropped: its id is free");
            String again = filled(h, "c-0");
            settled(h);
            List<String> underHundred = concat(List.of("c-0"), range("c-", 31, 129));
            assertEquals(underHundred, orders(h));
            assertEquals(underHundred, fills(h));
            h.stopTrade();

            // Raised, rebuilt from the log: the orders the first run dropped come back, but not the first c-0 (its
            // client order id was used again), and the order that took its id keeps it.
            dropSnapshots();
            h.restartTradeWith(historyKept(200));
            settled(h);
            assertEquals(again, h.get(DEV, "/v1/orders/by-client-id/c-0").bodyAsJsonObject().getString("order_id"));
            assertEquals(concat(List.of("c-0"), range("c-", 1, 129)), orders(h));
            assertEquals(concat(List.of("c-0"), range("c-", 0, 129)), fills(h), "131 fills: none dropped under 200");
            assertEquals(List.of(), historyLines, "raised: nothing to say");
            assertEquals(0, metric(h, "trade_stream_orders_reconciled_total"), "the stream has nothing to correct");
            assertEquals(130, metric(h, "trade_ledger_orders_kept"));
            assertEquals(1, metric(h, "trade_ledger_orders_dropped_total"), "the first c-0, whose id was used again");
            assertEquals(131, metric(h, "trade_ledger_fills_kept"));
            for (int i = 0; i < 20; i++) {
                filled(h, "d-" + i);
            }
            settled(h);
            List<String> underTwoHundred = concat(range("d-", 0, 19), List.of("c-0"), range("c-", 1, 129));
            assertEquals(underTwoHundred, orders(h));
            h.stopTrade(); // a clean stop: a snapshot holding 150 orders and 151 fills

            // Lowered, from that snapshot: the 100 closed last and the newest 100 fills, the rest dropped and counted.
            h.restartTradeWith(historyKept(100));
            settled(h);
            List<String> lowered = concat(range("d-", 0, 19), List.of("c-0"), range("c-", 51, 129));
            assertEquals(lowered, orders(h));
            assertEquals(lowered, fills(h));
            assertEquals(100, metric(h, "trade_ledger_orders_kept"));
            assertEquals(100, metric(h, "trade_ledger_fills_kept"));
            assertEquals(50, metric(h, "trade_ledger_orders_dropped_total"));
            assertEquals(51, metric(h, "trade_ledger_fills_dropped_total"));
            assertEquals(1, historyLines.size(), "said once: " + historyLines);
            assertTrue(historyLines.get(0).contains("(100) was lowered") && historyLines.get(0).contains("50 order(s), 51 fill(s)"),
                    historyLines.get(0));
            assertEquals(200, h.get(DEV, "/v1/orders/by-client-id/c-51").statusCode());
            assertEquals(404, h.get(DEV, "/v1/orders/by-client-id/c-50").statusCode());
            String freed = filled(h, "c-50"); // a dropped order's client order id is free again
            settled(h);
            assertEquals(concat(List.of("c-50"), lowered.subList(0, 99)), orders(h), "c-51 made room for it");
            assertEquals(freed, h.get(DEV, "/v1/orders/by-client-id/c-50").bodyAsJsonObject().getString("order_id"));
            String live = seen(h);
            h.stopTrade();

            // The same under the lowered bound from the log alone: a rebuild keeps what the restored process kept.
            dropSnapshots();
            h.restartTradeWith(historyKept(100));
            settled(h);
            assertEquals(live, seen(h));
            assertEquals(1, historyLines.size(), "a start under the bound the snapshot was written with drops nothing");
        }
    }

    /** A raised bound restored from a snapshot keeps what the snapshot kept and grows to the new bound. */
    @Test
    void raisedFromASnapshotTheHistoryGrowsToTheNewBound() throws Exception {
        try (TradeHarness h = start(100)) {
            TradeRestartScenario.resting(h, 9_100_000_001L, SYMBOL, "SELL", "7.12", 1_000_000);
            for (int i = 0; i < 110; i++) {
                filled(h, "c-" + i);
            }
            settled(h);
            h.stopTrade();
            h.restartTradeWith(historyKept(150));
            settled(h);
            assertEquals(range("c-", 10, 109), orders(h), "what the snapshot kept; dropped ones do not come back");
            for (int i = 0; i < 60; i++) {
                filled(h, "d-" + i);
            }
            settled(h);
            assertEquals(concat(range("d-", 0, 59), range("c-", 20, 109)), orders(h));
            assertEquals(concat(range("d-", 0, 59), range("c-", 20, 109)), fills(h));
            assertEquals(404, h.get(DEV, "/v1/orders/by-client-id/c-19").statusCode());
        }
    }
}
