package org.opentrade.market.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.market.adapter.ws.StreamTestKit.A;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.market.adapter.ws.StreamTestKit.TestClient;
import org.opentrade.market.domain.stream.ChannelSource;

/**
 * How a slow connection ends its slow episode (found by review): a client that reads catches up as its backlog
 * drains, each episode is told, a flooder that does not read is closed for good, and a seq of a numbering the
 * channel gave up is not answered with the new one's messages.
 */
class SlowConsumerRecoveryTest {
    private static final String TRADES_A = "trades:" + A;
    private static final int HIGH_WATER = 32 * 1024;
    private static final String PAD = "x".repeat(1_000);

    private StreamTestKit kit;

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    private TestClient smallBuffers() {
        return kit.connect("key-2", 100, new WebSocketClientOptions().setReceiveBufferSize(8 * 1024));
    }

    private long fillUntilSlow(TestClient slow, long published) {
        slow.ws.pause();
        while (kit.streams.stats().slowConsumers() == 0) {
            kit.publish(TRADES_A, new JsonObject().put("n", ++published).put("pad", PAD));
        }
        return published;
    }

    @Test
    void aClientThatReadsCatchesUpAsItsBacklogDrainsNotAtTheEndOfTheGrace() {
        // A grace of a minute: only the drain can end the slow episode within the 10 s each frame is waited for.
        kit = new StreamTestKit(StreamOptions.defaults().withSlowConsumer(HIGH_WATER, 60_000),
                new HttpServerOptions().setSendBufferSize(8 * 1024));
        for (int i = 1; i <= 2_000; i++) {
            kit.publish(TRADES_A, new JsonObject().put("n", i).put("pad", PAD));
        }
        TestClient c = smallBuffers();
        c.subscribe(Map.of(TRADES_A, 0), TRADES_A); // 2 MB to resume on a quiet channel
        c.expectType("subscribed");
        for (long expected = 1; expected <= 2_000; ) {
            JsonObject f = c.nextNonHeartbeat();
            if ("error".equals(f.getString("type"))) {
                assertEquals(-6013, f.getInteger("error_no"), f.encode());
                continue;
            }
            assertEquals(expected++, f.getLong("seq"), "in order, none missed");
        }
        assertEquals(0, kit.streams.stats().slowConsumers());
    }

    @Test
    void everySlowEpisodeIsToldByAWarning() {
        kit = new StreamTestKit(StreamOptions.defaults().withSlowConsumer(HIGH_WATER, 60_000),
                new HttpServerOptions().setSendBufferSize(8 * 1024));
        TestClient slow = smallBuffers();
        slow.subscribe(TRADES_A);
        slow.expectType("subscribed");
        long published = 0;
        long expected = 1;
        int[] warnings = new int[2];
        for (int episode = 0; episode < 2; episode++) {
            published = fillUntilSlow(slow, published);
            slow.ws.resume();
            while (expected <= published) {
                JsonObject f = slow.nextNonHeartbeat();
                if ("error".equals(f.getString("type"))) {
                    warnings[episode]++;
                    continue;
                }
                assertEquals(expected++, f.getLong("seq"));
            }
            kit.awaitCondition("recovered", () -> kit.streams.stats().slowConsumers() == 0);
        }
        // At least one each: the second episode went untold before (the warned flag was never reset). More than one
        // is a further episode, not a repeat: the catch-up after a recovery can fill the queue again while the client
        // reads slowly (seen once on a loaded host: [1, 2]), and that episode is told too.
        assertTrue(warnings[0] >= 1 && warnings[1] >= 1, "a -6013 for each episode: " + List.of(warnings[0], warnings[1]));
    }

    @Test
    void aFlooderThatDoesNotReadIsClosedForGoodAndItsBacklogReleased() {
        kit = new StreamTestKit(StreamOptions.defaults().withSlowConsumer(HIGH_WATER, 300)
                .withClientFrames(16 * 1024, 5, 10), new HttpServerOptions().setSendBufferSize(8 * 1024));
        TestClient slow = smallBuffers();
        slow.subscribe(TRADES_A);
        slow.expectType("subscribed");
        fillUntilSlow(slow, 0);
        for (int i = 0; i < 50; i++) {
            slow.ws.writeTextMessage("{\"op\":\"ping\"}");
        }
        kit.awaitCondition("the flooder closed", () -> kit.streams.stats().floodersClosed() == 1);
        kit.awaitCondition("no slow consumer left and nothing queued", () -> kit.streams.stats().slowConsumers() == 0
                && kit.streams.stats().queuedBytes() == 0);
        slow.ws.resume(); // lets the test's own client close
    }

    @Test
    void aSeqOfTheNumberingATradesChannelGaveUpGetsTheFlaggedSnapshot() {
        kit = new StreamTestKit(StreamOptions.defaults());
        kit.origins.put(TRADES_A, new ChannelSource.Origin<>(0, List.of(), new long[0]));
        TestClient x = kit.connect();
        x.subscribe(TRADES_A);
        x.expectType("subscribed");
        for (int i = 1; i <= 12; i++) {
            kit.publishNumbered(TRADES_A, i, new JsonObject().put("id", "old-" + i));
        }
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, x.nextNonHeartbeat().getLong("seq"));
        }
        x.close();
        kit.onOwner(() -> {
            kit.streams.renumber(TRADES_A, 2); // the exchange's history started over
            return null;
        });
        for (int i = 3; i <= 8; i++) {
            kit.publishNumbered(TRADES_A, i, new JsonObject().put("id", "new-" + i));
        }
        TestClient again = kit.connect();
        again.subscribe(Map.of(TRADES_A, 5), TRADES_A);
        again.expectType("subscribed");
        List<JsonObject> got = again.untilPong();
        assertEquals(1, got.size(), got.toString());
        assertEquals(false, got.get(0).getBoolean("resumed"), "old 5 is not new 5: " + got.get(0).encode());
        assertFalse(got.stream().anyMatch(f -> f.getValue("data") instanceof JsonObject d
                && d.getString("id", "").startsWith("new-")), "no message of the new numbering as if it followed");
    }
}
