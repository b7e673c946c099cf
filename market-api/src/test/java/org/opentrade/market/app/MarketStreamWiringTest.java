package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The market stream against the real exchange: trades, quotes, depth (snapshot then diffs that
 * rebuild the exchange's book exactly) and K-lines, with gap-free seqs, and resume.
 */
class MarketStreamWiringTest {
    static MarketHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = MarketHarness.start(null, false, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /** A client that queues every text frame as JSON. */
    static final class Client implements AutoCloseable {
        final WebSocket ws;
        final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        final WebSocketClient wsClient;

        Client(WebSocketClient wsClient, WebSocket ws) {
            this.wsClient = wsClient;
            this.ws = ws;
            ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
        }

        static Client connect(boolean withIdentity) throws Exception {
            return connect(h.vertx, h.market.port(), withIdentity);
        }

        /** A connection to the market-api instance listening on {@code port}. */
        static Client connect(io.vertx.core.Vertx vertx, int port, boolean withIdentity) throws Exception {
            WebSocketClient c = vertx.createWebSocketClient();
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                    .setURI("/v1/stream/market");
            if (withIdentity) {
                o.addHeader(MarketHarness.TEST_CALLER, "dev-ws");
            }
            return new Client(c, MarketHarness.await(c.connect(o)));
        }

        void send(JsonObject frame) {
            ws.writeTextMessage(frame.encode());
        }

        /** Frames read but not yet wanted, in arrival order: a later call may want them. */
        final List<JsonObject> held = new ArrayList<>();

        JsonObject next(java.util.function.Predicate<JsonObject> wanted) throws InterruptedException {
            for (int i = 0; i < held.size(); i++) {
                if (wanted.test(held.get(i))) {
                    return held.remove(i);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null) {
                    if (wanted.test(f)) {
                        return f;
                    }
                    held.add(f);
                }
            }
            throw new AssertionError("no wanted frame within 10 s");
        }

        @Override
        public void close() throws Exception {
            MarketHarness.await(ws.close());
            MarketHarness.await(wsClient.close());
        }
    }

    static java.util.function.Predicate<JsonObject> on(String channel) {
        return f -> channel.equals(f.getString("channel"));
    }

    @Test
    void depthSnapshotThenDiffsRebuildTheExchangeBookAndTradesCarryGapFreeSeqs() throws Exception {
        String sym = "600030.SH";
        try (Client c = Client.connect(true)) {
            c.send(new JsonObject().put("op", "subscribe").put("channels",
                    new JsonArray().add("depth:" + sym).add("trades:" + sym).add("klines:5m:" + sym)));
            JsonObject subscribed = c.next(f -> "subscribed".equals(f.getString("type")));
            assertTrue(subscribed.getJsonArray("channels").contains("depth:" + sym));
            JsonObject snap = c.next(on("depth:" + sym));
            assertEquals(true, snap.getBoolean("snapshot"));
            TreeMap<String, Long> bids = new TreeMap<>();
            TreeMap<String, Long> asks = new TreeMap<>();
            apply(bids, snap.getJsonObject("data").getJsonArray("bids"));
            apply(asks, snap.getJsonObject("data").getJsonArray("asks"));
            long depthSeq = snap.getLong("seq");

            long id = 5000;
            h.limit(id++, "mm", sym, "SELL", "27.60", 500);
            h.limit(id++, "mm", sym, "SELL", "27.61", 700);
            h.limit(id++, "mm", sym, "BUY", "27.50", 300);
            h.limit(id++, "taker", sym, "BUY", "27.61", 800); // takes 27.60 x500 and 27.61 x300

            List<JsonObject> trades = new ArrayList<>();
            trades.add(c.next(on("trades:" + sym)));
            trades.add(c.next(on("trades:" + sym)));
            assertEquals(trades.get(0).getLong("seq") + 1, trades.get(1).getLong("seq"), "gap-free trade seq");
            assertEquals("27.60", trades.get(0).getJsonObject("data").getString("price"));
            assertEquals("27.61", trades.get(1).getJsonObject("data").getString("price"));

            JsonObject rest = h.get("/v1/market/depth/" + sym + "?levels=20").bodyAsJsonObject();
            long bookSeq = rest.getLong("seq");
            while (true) {
                JsonObject diff = c.next(on("depth:" + sym));
                assertEquals(++depthSeq, diff.getLong("seq"), "gap-free depth seq");
                apply(bids, diff.getJsonObject("data").getJsonArray("bids"));
                apply(asks, diff.getJsonObject("data").getJsonArray("asks"));
                if (diff.getJsonObject("data").getLong("seq") >= bookSeq) {
                    break;
                }
            }
            assertEquals(levels(rest.getJsonArray("asks")), asks);
            assertEquals(levels(rest.getJsonArray("bids")), bids);
            assertEquals(400, asks.get("27.61"));
            JsonObject kline = c.next(f -> ("klines:5m:" + sym).equals(f.getString("channel"))
                    && f.getJsonObject("data") != null && f.getJsonObject("data").getLong("volume") == 800);
            assertEquals("27.60", kline.getJsonObject("data").getString("open"));
            assertEquals("27.61", kline.getJsonObject("data").getString("close"));
        }
    }

    @Test
    void aNewConnectionResumesATradeChannelWithExactlyTheMissedMessages() throws Exception {
        String sym = "601166.SH";
        long lastSeen;
        String epoch;
        try (Client c = Client.connect(true)) {
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("trades:" + sym)));
            epoch = c.next(f -> "subscribed".equals(f.getString("type"))).getString("epoch");
            h.limit(7000, "mm", sym, "SELL", "21.10", 100);
            h.limit(7001, "t", sym, "BUY", "21.10", 100);
            lastSeen = c.next(on("trades:" + sym)).getLong("seq");
        }
        h.limit(7002, "mm", sym, "SELL", "21.11", 100);
        h.limit(7003, "t", sym, "BUY", "21.11", 100);
        h.limit(7004, "mm", sym, "SELL", "21.12", 100);
        h.limit(7005, "t", sym, "BUY", "21.12", 100);
        try (Client c = Client.connect(true)) {
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("trades:" + sym))
                    .put("resume", new JsonObject().put("trades:" + sym, lastSeen)).put("epoch", epoch));
            JsonObject a = c.next(on("trades:" + sym));
            JsonObject b = c.next(on("trades:" + sym));
            assertEquals(lastSeen + 1, a.getLong("seq"));
            assertEquals(lastSeen + 2, b.getLong("seq"));
            assertEquals("21.11", a.getJsonObject("data").getString("price"));
            assertEquals("21.12", b.getJsonObject("data").getString("price"));
        }
    }

    @Test
    void aChannelNobodySubscribedToKeepsNoLogAndItsFirstSubscriberGetsEveryMessageAfterItsHead() throws Exception {
        String sym = "600519.SH";
        long channelsBefore = metric("market_stream_channels");
        h.limit(8000, "mm", sym, "SELL", "1490.00", 100);
        h.limit(8001, "t", sym, "BUY", "1490.00", 100);
        h.until(() -> {
            try {
                return h.get("/v1/market/trades/" + sym).bodyAsJsonObject().getJsonArray("items").size() == 1;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, 10);
        assertEquals(channelsBefore, metric("market_stream_channels"), "no channel log was made for it");
        try (Client c = Client.connect(true)) {
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("trades:" + sym)
                    .add("klines:1m:" + sym)));
            JsonObject subscribed = c.next(f -> "subscribed".equals(f.getString("type")));
            assertEquals(1L, subscribed.getJsonObject("seqs").getLong("trades:" + sym),
                    "a trades channel is numbered by the symbol's trades of all time: one so far");
            JsonObject bar = c.next(on("klines:1m:" + sym));
            assertEquals(true, bar.getBoolean("snapshot"));
            assertEquals(100L, bar.getJsonObject("data").getLong("volume"));
            h.limit(8002, "mm", sym, "SELL", "1491.00", 200);
            h.limit(8003, "t", sym, "BUY", "1491.00", 200);
            JsonObject trade = c.next(on("trades:" + sym));
            assertEquals(2L, trade.getLong("seq"));
            assertEquals("1491.00", trade.getJsonObject("data").getString("price"));
            JsonObject update = c.next(on("klines:1m:" + sym));
            assertEquals(1L, update.getLong("seq"));
            boolean sameMinute = update.getJsonObject("data").getString("time").equals(bar.getJsonObject("data").getString("time"));
            assertEquals(sameMinute ? 300L : 200L, update.getJsonObject("data").getLong("volume"));
        }
        assertEquals(channelsBefore + 2, metric("market_stream_channels"));
        assertTrue(metric("market_stream_wire_writes_total") >= 4, "frames went out on the wire path, encoded once per"
                + " message, not through Vert.x's queue: " + metric("market_stream_wire_writes_total"));
    }

    private static long metric(String name) {
        for (String line : h.market.metrics().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    /**
     * A client resuming where this process cannot replay (another instance's epoch, say after a kill -9 of the
     * one it was on) gets the K-line close it may have missed before the flagged snapshot of the live bar.
     */
    @Test
    void aKlineResumeThisProcessCannotReplayGetsTheBarThatClosedMeanwhileBeforeTheLiveOne() throws Exception {
        String sym = "601318.SH";
        long id = 7000;
        h.limit(id++, "mm", sym, "SELL", "52.00", 300);
        h.limit(id++, "taker", sym, "BUY", "52.00", 100);
        h.until(() -> lastMinuteVolume(sym) == 100, 10);
        JsonObject first = h.get("/v1/market/klines/" + sym + "?interval=1m&limit=1").bodyAsJsonObject()
                .getJsonArray("bars").getJsonObject(0);
        long minute = java.time.Instant.parse(first.getString("time")).toEpochMilli();
        // The minute ends for the board (as the wall clock would make it a minute later): its bar closes.
        MarketHarness.await(h.market.onBoard(b -> b.onTime(minute + 60_000 + 1)));
        h.limit(id++, "taker", sym, "BUY", "52.00", 200); // lands in the next minute: that minute is closed
        h.until(() -> lastMinuteVolume(sym) == 200, 10);
        try (Client c = Client.connect(true)) {
            String channel = "klines:1m:" + sym;
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(channel))
                    .put("resume", new JsonObject().put(channel, 41)).put("epoch", "0123456789abcdef"));
            c.next(f -> "subscribed".equals(f.getString("type")));
            JsonObject closed = c.next(on(channel));
            assertEquals(false, closed.getBoolean("resumed"), closed.encode());
            assertEquals(first.getString("time"), closed.getJsonObject("data").getString("time"), closed.encode());
            assertEquals(true, closed.getJsonObject("data").getBoolean("closed"), closed.encode());
            assertEquals(100L, closed.getJsonObject("data").getLong("volume"), closed.encode());
            JsonObject live = c.next(on(channel));
            assertEquals(false, live.getBoolean("resumed"), live.encode());
            assertEquals(minute + 60_000, java.time.Instant.parse(live.getJsonObject("data").getString("time"))
                    .toEpochMilli(), live.encode());
            assertEquals(false, live.getJsonObject("data").getBoolean("closed"), live.encode());
            assertEquals(200L, live.getJsonObject("data").getLong("volume"), live.encode());
        }
        try (Client fresh = Client.connect(true)) {
            String channel = "klines:1m:" + sym;
            fresh.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(channel)));
            fresh.next(f -> "subscribed".equals(f.getString("type")));
            JsonObject snapshot = fresh.next(on(channel));
            assertEquals(200L, snapshot.getJsonObject("data").getLong("volume"), "a fresh subscriber: the live bar only");
        }
    }

    private static long lastMinuteVolume(String sym) {
        try {
            JsonArray bars = h.get("/v1/market/klines/" + sym + "?interval=1m&limit=1").bodyAsJsonObject().getJsonArray("bars");
            return bars.isEmpty() ? -1 : bars.getJsonObject(0).getLong("volume");
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void anUpgradeWithoutTheGatewayAssertionIsRefused() throws Exception {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Client.connect(false));
        assertTrue(e.getMessage().contains("401") || String.valueOf(e.getCause()).contains("401"), e.toString());
    }

    private static void apply(TreeMap<String, Long> side, JsonArray levels) {
        for (Object o : levels) {
            JsonArray l = (JsonArray) o;
            if (l.getLong(1) == 0) {
                side.remove(l.getString(0));
            } else {
                side.put(l.getString(0), l.getLong(1));
            }
        }
    }

    private static TreeMap<String, Long> levels(JsonArray levels) {
        TreeMap<String, Long> m = new TreeMap<>();
        apply(m, levels);
        return m;
    }
}
