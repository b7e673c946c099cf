package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order stream resumes across trade-api restarts from the client's last seq and epoch, with exactly the
 * frames it missed, whatever the restart replays: from the last snapshot (nothing), from an older one (the
 * updates since, made again by the replay), or from nothing (every update made again). The replay sends none of
 * them twice: the stream's journal shows they were sent.
 */
class TradeStreamRestartTest {
    static final String DEV = "dev_resume";

    @TempDir
    Path dir;

    /** A subscriber that keeps every frame; {@code resume} null subscribes afresh. */
    static final class Client implements AutoCloseable {
        final WebSocketClient c;
        final WebSocket ws;
        final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        final JsonObject subscribed;

        Client(TradeHarness h, Long resume, String epoch) throws Exception {
            c = h.vertx.createWebSocketClient();
            ws = TradeHarness.await(c.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(h.trade.port())
                    .setURI("/v1/stream/orders").addHeader(TradeHarness.TEST_CALLER, DEV)));
            ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
            JsonObject sub = new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders"));
            if (resume != null) {
                sub.put("resume", new JsonObject().put("orders", resume)).put("epoch", epoch);
            }
            ws.writeTextMessage(sub.encode());
            subscribed = next();
            assertEquals("subscribed", subscribed.getString("type"), subscribed.encode());
        }

        JsonObject next() throws InterruptedException {
            while (true) {
                JsonObject f = frames.poll(10, TimeUnit.SECONDS);
                if (f == null) {
                    throw new AssertionError("no frame in 10 s");
                }
                if (!"heartbeat".equals(f.getString("type"))) {
                    return f;
                }
            }
        }

        /** Every frame up to and including the one with {@code seq} (fails on a snapshot or a hole). */
        List<JsonObject> until(long seq) throws InterruptedException {
            List<JsonObject> out = new ArrayList<>();
            while (out.isEmpty() || out.get(out.size() - 1).getLong("seq") < seq) {
                JsonObject f = next();
                assertTrue(!Boolean.TRUE.equals(f.getBoolean("snapshot")), "a data frame, not a snapshot: " + f.encode());
                out.add(f);
            }
            return out;
        }

        /** What the server sent before answering a ping: everything it meant to send so far. */
        List<JsonObject> untilPong() throws Exception {
            TradeHarness.await(ws.writeTextMessage(new JsonObject().put("op", "ping").encode()));
            List<JsonObject> out = new ArrayList<>();
            for (JsonObject f = next(); !"pong".equals(f.getString("type")); f = next()) {
                out.add(f);
            }
            return out;
        }

        String epoch() {
            return subscribed.getString("epoch");
        }

        @Override
        public void close() throws Exception {
            TradeHarness.await(ws.close());
            TradeHarness.await(c.close());
        }
    }

    /** Orders that fill, rest, get cancelled: each makes several frames. Returns the head seq it ends at. */
    static long trade(TradeHarness h, String prefix, long restingId) throws Exception {
        TradeRestartScenario.resting(h, restingId, "601398.SH", "SELL", "7.12", 800);
        assertEquals(201, h.order(DEV, TradeHarness.limit(prefix + "-1", "601398.SH", "buy", "7.12", 300)).statusCode());
        assertEquals(201, h.order(DEV, TradeHarness.limit(prefix + "-2", "601398.SH", "buy", "7.12", 500)).statusCode());
        JsonObject rest = h.order(DEV, TradeHarness.limit(prefix + "-3", "601398.SH", "buy", "7.00", 100)).bodyAsJsonObject();
        assertEquals(200, h.send(HttpMethod.DELETE, DEV, "/v1/orders/" + rest.getString("order_id"), null).statusCode());
        h.until(() -> {
            try {
                return h.get(DEV, "/v1/orders?status=open").bodyAsJsonObject().getJsonArray("items").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, 10);
        TradeRestartScenario.caughtUp(h);
        return h.onTrade(() -> h.trade.desk().ledger().lastUpdateSeq(DEV));
    }

    private static long metric(TradeHarness h, String name) {
        return h.trade.metrics().lines().filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1))).sum();
    }

    private void deleteSnapshots(boolean onlyTheNewest) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("trade/snapshots"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".snap")).sorted().toList();
        }
        for (Path p : onlyTheNewest ? files.subList(files.size() - 1, files.size()) : files) {
            Files.delete(p);
        }
    }

    @Test
    void aStreamResumesAcrossRestartsFromItsLastSeqWithExactlyTheFramesItMissed() throws Exception {
        try (TradeHarness h = TradeHarness.start(dir)) {
            // 1. A first process; a client sees every frame.
            Client first = new Client(h, null, null);
            first.untilPong(); // the (empty) snapshot
            long head1 = trade(h, "a", 9_300_000_001L);
            assertTrue(head1 >= 8, "frames: " + head1);
            List<JsonObject> seen1 = first.until(head1);
            String epoch1 = first.epoch();
            first.close();

            // 2. A clean restart (from its final snapshot): a resume with the first epoch is exact.
            h.stopTrade();
            h.startTrade();
            try (Client resumed = new Client(h, head1 - 3, epoch1)) {
                assertNotEquals(epoch1, resumed.epoch());
                assertEquals(seen1.subList(seen1.size() - 3, seen1.size()), resumed.untilPong());
            }

            // 3. More trading, then a restart from the older snapshot: the replay makes these frames again.
            Client second = new Client(h, head1, epoch1);
            assertEquals(List.of(), second.untilPong());
            long head2 = trade(h, "b", 9_300_000_002L);
            List<JsonObject> seen2 = second.until(head2);
            String epoch2 = second.epoch();
            second.close();
            h.stopTrade();
            deleteSnapshots(true);
            h.startTrade();
            TradeRestartScenario.caughtUp(h);
            assertEquals(head2 - head1, metric(h, "trade_stream_recovered_unsent_total"),
                    "every frame the replay made again was known sent: " + h.trade.metrics());
            assertEquals(0, metric(h, "trade_stream_orders_reconciled_total"));
            assertEquals(head2, (long) h.onTrade(() -> h.trade.desk().ledger().lastUpdateSeq(DEV)));
            try (Client resumed = new Client(h, head1 + 1, epoch2)) {
                assertEquals(seen2.subList(1, seen2.size()), resumed.untilPong(), "from the second epoch's frames");
            }
            try (Client resumed = new Client(h, head1 - 1, epoch1)) {
                List<JsonObject> both = new ArrayList<>(seen1.subList(seen1.size() - 1, seen1.size()));
                both.addAll(seen2);
                assertEquals(both, resumed.untilPong(), "across both earlier epochs");
            }

            // 4. A rebuild from nothing (every snapshot lost): everything is made again, nothing sent twice.
            h.stopTrade();
            deleteSnapshots(false);
            h.startTrade();
            TradeRestartScenario.caughtUp(h);
            assertEquals(head2, metric(h, "trade_stream_recovered_unsent_total"), h.trade.metrics());
            assertEquals(0, metric(h, "trade_stream_seq_jumps_total"));
            try (Client resumed = new Client(h, head2 - 2, epoch2)) {
                assertEquals(seen2.subList(seen2.size() - 2, seen2.size()), resumed.untilPong());
                long head3 = trade(h, "c", 9_300_000_003L);
                List<JsonObject> live = resumed.until(head3);
                assertEquals(head2 + 1, live.get(0).getLong("seq"), "new frames follow on: " + live.get(0).encode());
            }
        }
    }
}
