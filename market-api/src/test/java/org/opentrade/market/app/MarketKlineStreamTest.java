package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.market.app.MarketStreamWiringTest.Client;

/**
 * K-line channels against the real exchange: a bar says {@code closed} once its period's trading is over, whether
 * or not a trade came in its last minute. The tests move the board's time on by hand (as the wall clock would), so
 * they have a harness of their own.
 */
class MarketKlineStreamTest {
    private static MarketHarness h;
    private static long orderId = 1;

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

    private static Client connect() throws Exception {
        return Client.connect(h.vertx, h.market.port(), true);
    }

    /** A trade of {@code qty} at 52.00 (a resting sell taken by a buy). */
    private static void trade(String sym, long qty) throws Exception {
        h.limit(orderId++, "mm", sym, "SELL", "52.00", qty);
        h.limit(orderId++, "taker", sym, "BUY", "52.00", qty);
    }

    private static void boardTime(long nowMs) throws Exception {
        MarketHarness.await(h.market.onBoard(b -> b.onTime(nowMs)));
    }

    private static JsonObject subscribe(Client c, String channel, JsonObject resume) throws Exception {
        JsonObject frame = new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(channel));
        if (resume != null) {
            frame.put("resume", resume).put("epoch", "0123456789abcdef"); // another process's
        }
        c.send(frame);
        c.next(f -> "subscribed".equals(f.getString("type")));
        return c.next(MarketStreamWiringTest.on(channel));
    }

    private static long time(JsonObject frame) {
        return Instant.parse(frame.getJsonObject("data").getString("time")).toEpochMilli();
    }

    /**
     * Between trades the current bar of a channel is one whose period is over (a quiet minute, a lunch break, the
     * night): a fresh or resuming subscriber gets it as the snapshot, and it was flagged {@code "closed": false},
     * so a client resuming after the bar closed took its close for a live bar.
     */
    @Test
    void aSnapshotOfABarWhosePeriodIsOverSaysClosed() throws Exception {
        String sym = "601318.SH";
        trade(sym, 100);
        h.until(() -> lastMinuteVolume(sym) == 100, 10);
        long minute = Instant.parse(h.get("/v1/market/klines/" + sym + "?interval=1m&limit=1").bodyAsJsonObject()
                .getJsonArray("bars").getJsonObject(0).getString("time")).toEpochMilli();
        boardTime(minute + 60_001); // the minute is over, nobody has traded since

        try (Client fresh = connect()) {
            JsonObject snapshot = subscribe(fresh, "klines:1m:" + sym, null);
            assertEquals(minute, time(snapshot), snapshot.encode());
            assertEquals(true, snapshot.getJsonObject("data").getBoolean("closed"), snapshot.encode());
            JsonObject day = subscribe(fresh, "klines:1d:" + sym, null);
            assertEquals(false, day.getJsonObject("data").getBoolean("closed"), "the day goes on: " + day.encode());
        }
        try (Client resuming = connect()) {
            String channel = "klines:1m:" + sym;
            JsonObject snapshot = subscribe(resuming, channel, new JsonObject().put(channel, 7));
            // Before the snapshot may come the bar that closed before it (ChannelSource.missed): the last one is it.
            resuming.send(new JsonObject().put("op", "ping"));
            java.util.function.Predicate<JsonObject> channelOrPong = g -> channel.equals(g.getString("channel"))
                    || "pong".equals(g.getString("type"));
            for (JsonObject f = resuming.next(channelOrPong); f.getString("channel") != null;
                    f = resuming.next(channelOrPong)) {
                snapshot = f;
            }
            assertEquals(false, snapshot.getBoolean("resumed"), snapshot.encode());
            assertEquals(minute, time(snapshot), snapshot.encode());
            assertEquals(true, snapshot.getJsonObject("data").getBoolean("closed"),
                    "the close the client missed: " + snapshot.encode());
        }
    }

    /**
     * A 5m bar whose only trade came in its first minute: the close of that minute is not the bar's, and nothing
     * traded after it in the period. The bar closes when the period's time is over; it was never sent
     * {@code closed} (only a trade in a later period showed the next bar beginning).
     */
    @Test
    void aBarWithoutATradeInItsLastMinuteClosesWhenItsPeriodEnds() throws Exception {
        String sym = "601318.SH";
        String fives = "klines:5m:" + sym;
        String fifteens = "klines:15m:" + sym;
        try (Client c = connect()) {
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(fives)));
            c.next(f -> "subscribed".equals(f.getString("type")));
            // The board's time at the start of a 15m period, ahead of the wall clock and of the other test's.
            long period = (Math.max(System.currentTimeMillis(), lastMinute(sym)) / 900_000 + 2) * 900_000;
            boardTime(period + 1);
            trade(sym, 300); // stamped before the board's time: it lands in the period's first minute
            JsonObject first = c.next(f -> fives.equals(f.getString("channel"))
                    && f.getJsonObject("data").getLong("volume") == 300);
            assertEquals(period, time(first), first.encode());
            assertEquals(false, first.getJsonObject("data").getBoolean("closed"), first.encode());

            boardTime(period + 60_001); // the first minute closes: not the 5m bar's last
            // Subscribed after the minute closed: the channel's one message is its snapshot, and it is due a close too.
            JsonObject snapshot = subscribe(c, fifteens, null);
            assertEquals(false, snapshot.getJsonObject("data").getBoolean("closed"), snapshot.encode());
            boardTime(period + 300_001); // the period is over
            JsonObject closed = c.next(f -> fives.equals(f.getString("channel"))
                    && f.getJsonObject("data").getBoolean("closed"));
            assertEquals(period, time(closed), closed.encode());
            assertEquals(300L, closed.getJsonObject("data").getLong("volume"), closed.encode());
            boardTime(period + 900_001);
            JsonObject closed15 = c.next(f -> fifteens.equals(f.getString("channel"))
                    && f.getJsonObject("data").getBoolean("closed"));
            assertEquals(period, time(closed15), closed15.encode());
        }
    }

    private static long lastMinute(String sym) throws Exception {
        JsonArray bars = h.get("/v1/market/klines/" + sym + "?interval=1m&limit=1").bodyAsJsonObject()
                .getJsonArray("bars");
        return bars.isEmpty() ? 0 : Instant.parse(bars.getJsonObject(0).getString("time")).toEpochMilli();
    }

    private static long lastMinuteVolume(String sym) {
        try {
            JsonArray bars = h.get("/v1/market/klines/" + sym + "?interval=1m&limit=1").bodyAsJsonObject()
                    .getJsonArray("bars");
            return bars.isEmpty() ? -1 : bars.getJsonObject(0).getLong("volume");
        } catch (Exception e) {
            return -1;
        }
    }
}
