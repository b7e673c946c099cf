package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.opentrade.market.app.MarketStreamWiringTest.on;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.market.app.MarketStreamWiringTest.Client;

/**
 * Two market-api instances on one exchange, as distributed mode runs them: a trades channel has the
 * same seqs on both (the symbol's trades of all time, counted by the exchange), so a client of one
 * that dies resumes on the other from its last seq with exactly the trades it missed, whatever the
 * epoch, including trades the other instance saw before anyone subscribed there.
 */
class MarketStreamAcrossInstancesTest {
    static MarketHarness h;
    static MarketHarness.Another second;
    static long orderId = 1;

    @BeforeAll
    static void start() throws Exception {
        h = MarketHarness.start(null, false, 1);
        second = h.startAnother("market-api-2");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /** One trade of 100 shares at {@code price} (a resting sell taken by a buy). */
    private static void trade(String sym, String price) throws Exception {
        h.limit(orderId++, "mm", sym, "SELL", price, 100);
        h.limit(orderId++, "taker", sym, "BUY", price, 100);
    }

    private static Predicate<JsonObject> subscribed() {
        return f -> "subscribed".equals(f.getString("type"));
    }

    @Test
    void aClientOfAStoppedInstanceResumesOnTheOtherWithExactlyTheTradesItMissed() throws Exception {
        String sym = "600036.SH";
        String ch = "trades:" + sym;
        trade(sym, "41.01");
        trade(sym, "41.02"); // before anyone subscribed anywhere
        MarketHarness.Another first = h.startAnother("market-api-3");
        long lastSeen;
        String epoch;
        try (Client c = Client.connect(h.vertx, first.service().port(), true)) {
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(ch)));
            JsonObject sub = c.next(subscribed());
            epoch = sub.getString("epoch");
            assertEquals(2L, sub.getJsonObject("seqs").getLong(ch), "numbered by the symbol's trades: two so far");
            trade(sym, "41.03");
            trade(sym, "41.04");
            assertEquals(3L, c.next(on(ch)).getLong("seq"));
            lastSeen = c.next(on(ch)).getLong("seq");
            assertEquals(4L, lastSeen);
        }
        h.stop(first); // its client is gone with it
        trade(sym, "41.05");
        trade(sym, "41.06");

        try (Client c = Client.connect(h.vertx, second.service().port(), true)) {
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(ch))
                    .put("resume", new JsonObject().put(ch, lastSeen)).put("epoch", epoch));
            JsonObject sub = c.next(subscribed());
            assertNotEquals(epoch, sub.getString("epoch"), "another process");
            JsonObject a = c.next(on(ch));
            JsonObject b = c.next(on(ch));
            assertNull(a.getValue("snapshot"), "resumed, not a snapshot: " + a.encode());
            assertEquals(5L, a.getLong("seq"));
            assertEquals("41.05", a.getJsonObject("data").getString("price"));
            assertEquals(6L, b.getLong("seq"));
            assertEquals("41.06", b.getJsonObject("data").getString("price"));
            trade(sym, "41.07");
            JsonObject next = c.next(on(ch));
            assertEquals(7L, next.getLong("seq"));
            assertEquals("41.07", next.getJsonObject("data").getString("price"));
        }

        // The same resume from an older seq: the instance vouches for the trades it saw before its
        // channel opened, with the same numbers and content the first instance sent.
        try (Client c = Client.connect(h.vertx, second.service().port(), true)) {
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(ch))
                    .put("resume", new JsonObject().put(ch, 2L)).put("epoch", epoch));
            for (long seq = 3; seq <= 7; seq++) {
                JsonObject f = c.next(on(ch));
                assertEquals(seq, f.getLong("seq"));
                assertEquals("41.0" + seq, f.getJsonObject("data").getString("price"));
            }
        }
    }

    @Test
    void aResumeAheadOfThisInstanceWaitsForTheFeedInsteadOfResending() throws Exception {
        String sym = "601318.SH";
        String ch = "trades:" + sym;
        trade(sym, "50.01");
        try (Client c = Client.connect(h.vertx, second.service().port(), true)) {
            // A client of an instance that was one trade further on the feed than this one.
            c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(ch))
                    .put("resume", new JsonObject().put(ch, 2L)).put("epoch", "another-instance"));
            assertEquals(1L, c.next(subscribed()).getJsonObject("seqs").getLong(ch));
            trade(sym, "50.02"); // seq 2: the client has it
            trade(sym, "50.03");
            JsonObject f = c.next(on(ch));
            assertEquals(3L, f.getLong("seq"), "the first frame follows the client's seq: " + f.encode());
            assertEquals("50.03", f.getJsonObject("data").getString("price"));
            assertFalse(c.held.stream().anyMatch(on(ch)), "nothing before it: " + c.held);
        }
    }
}
