package org.opentrade.trade.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.ALICE;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.trade.adapter.ws.OrderStreamTestKit.TestClient;

/**
 * A client that stops reading must not make the server buffer without bound, nor hold back the account's
 * other connections. Small socket buffers on both ends make the backlog reach the server's heap after a few
 * KiB instead of megabytes of kernel buffers.
 */
class SlowConsumerTest {
    private static final int HIGH_WATER = 32 * 1024;
    private static final int BATCH = 8;
    private static final String PAD = "x".repeat(1_000);

    private OrderStreamTestKit kit;

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    private static JsonObject update(long n) {
        return OrderStreamTestKit.order("o" + n, "new").put("n", n).put("pad", PAD);
    }

    @Test
    void aClientThatNeverReadsIsDroppedWithBoundedBufferingWhileAFastOneGetsEveryUpdate() {
        kit = new OrderStreamTestKit(OrderStreamOptions.defaults().withSlowConsumer(HIGH_WATER, 300),
                new HttpServerOptions().setSendBufferSize(8 * 1024));
        TestClient fast = kit.connect(ALICE);
        TestClient slow = kit.connect(ALICE, true, new WebSocketClientOptions().setReceiveBufferSize(8 * 1024));
        fast.subscribed();
        fast.untilPong();
        slow.subscribed();
        slow.untilPong();
        slow.ws.pause(); // from here on the slow client reads nothing

        long published = 0;
        long publishedBytes = 0;
        long expectedSeq = 1;
        // Paced by the fast client (never more than one batch ahead of it), so only the slow one falls behind.
        while (kit.streams.stats().slowConsumersDropped() == 0 || publishedBytes < 4L * HIGH_WATER) {
            assertTrue(published < 200_000, "the slow client was never dropped");
            for (int i = 0; i < BATCH; i++) {
                JsonObject data = update(++published);
                kit.publish(ALICE, published, "order", data);
                publishedBytes += data.encode().length();
            }
            while (expectedSeq <= published) {
                JsonObject f = fast.nextNonHeartbeat();
                assertEquals(expectedSeq, f.getLong("seq"), "the fast client misses nothing");
                assertEquals(expectedSeq, f.getJsonObject("data").getLong("n"));
                expectedSeq++;
            }
        }

        StreamStats stats = kit.streams.stats();
        assertEquals(1, stats.slowConsumersDropped());
        assertEquals(1, stats.connections(), "the fast client stays");
        assertTrue(stats.peakConnectionQueuedBytes() <= HIGH_WATER + OrderStreams.CONTROL_SLACK_BYTES,
                "peak per-connection backlog " + stats.peakConnectionQueuedBytes() + " bytes while " + publishedBytes
                        + " were published");
        slow.ws.resume();
        // Closed with 1008, or hard-closed (queue discarded) if it could not take the close frame in time.
        OrderStreamTestKit.get(slow.closed);
        kit.awaitCondition("every queued byte to be written or discarded", () -> kit.streams.stats().queuedBytes() == 0);
        assertEquals(List.of(ALICE), kit.cancelled, "a dropped opted-in connection is a disconnect");
        kit.publish(ALICE, ++published, "fill", OrderStreamTestKit.fill("f", "o1"));
        assertEquals(published, fast.nextNonHeartbeat().getLong("seq"));
    }

    @Test
    void aSlowClientThatDrainsInTimeCatchesUpWithoutAGap() {
        kit = new OrderStreamTestKit(OrderStreamOptions.defaults().withSlowConsumer(HIGH_WATER, 60_000),
                new HttpServerOptions().setSendBufferSize(8 * 1024));
        TestClient slow = kit.connect(ALICE, false, new WebSocketClientOptions().setReceiveBufferSize(8 * 1024));
        slow.subscribed();
        slow.untilPong();
        slow.ws.pause();
        long published = 0;
        while (kit.streams.stats().slowConsumers() == 0) {
            assertTrue(published < 200_000, "the client never turned slow");
            kit.publish(ALICE, ++published, "order", update(published));
        }
        slow.ws.resume();
        long expectedSeq = 1;
        int warnings = 0;
        while (expectedSeq <= published) {
            JsonObject f = slow.nextNonHeartbeat();
            if ("error".equals(f.getString("type"))) {
                assertEquals(-4120, f.getInteger("error_no"), f.encode());
                assertTrue(f.getString("error").startsWith("slow consumer:"), f.encode());
                warnings++;
                // Drained: the next update (or the drain event) lets it catch up from the log.
                kit.publish(ALICE, ++published, "order", update(published));
                continue;
            }
            assertEquals(expectedSeq, f.getLong("seq"), "no gap, no duplicate");
            assertEquals(expectedSeq, f.getJsonObject("data").getLong("n"));
            expectedSeq++;
        }
        assertEquals(1, warnings);
        assertEquals(0, kit.streams.stats().slowConsumers());
        assertEquals(0, kit.streams.stats().slowConsumersDropped());
    }
}
