package org.opentrade.exchange.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

class FeedBatchCodecTest {
    private final Vertx vertx = Vertx.vertx();
    private final FeedBatch batch = FeedBatch.of(1, 98, 1, List.of(
            new ExchangeEvent(97, 1, EventType.ACCEPTED, 17, "alice", 0, null, "600000.SH", Side.BUY,
                    OrderType.LIMIT, TimeInForce.GTC, 1001, 100, 100, 0, 0, ResultCode.OK, 5, null),
            new ExchangeEvent(98, 1, EventType.TRADE, 18, "bob", 17, "alice", "600000.SH", Side.SELL,
                    OrderType.LIMIT, TimeInForce.GTC, 1001, 100, 0, 100, 0, ResultCode.OK, 6, null)));

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void registeringTwiceIsHarmless() {
        FeedBatchCodec.register(vertx);
        FeedBatchCodec.register(vertx);
    }

    @Test
    void localPublishDeliversTheSameInstanceWithoutDeliveryOptions() throws Exception {
        FeedBatchCodec.register(vertx);
        CompletableFuture<Object> received = new CompletableFuture<>();
        vertx.eventBus().consumer("feed.test", m -> received.complete(m.body()))
                .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.eventBus().publish("feed.test", batch);
        assertSame(batch, received.get(5, TimeUnit.SECONDS));
    }

    @Test
    void localRequestAndReplyDeliverTheSameInstances() throws Exception {
        FeedBatchCodec.register(vertx);
        FeedBatch reply = FeedBatch.refused(1, ResultCode.EVENTS_NOT_RETAINED, "pruned", 98, 50);
        CompletableFuture<Object> request = new CompletableFuture<>();
        vertx.eventBus().consumer("feed.request", m -> {
            request.complete(m.body());
            m.reply(reply);
        }).completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Object answer = vertx.eventBus().request("feed.request", batch,
                new DeliveryOptions().setCodecName(FeedBatchCodec.NAME))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body();
        assertSame(batch, request.get(5, TimeUnit.SECONDS));
        assertSame(reply, answer);
    }

    @Test
    void wireRoundTripEqualsTheOriginal() {
        Buffer wire = Buffer.buffer().appendString("header");
        FeedBatchCodec.INSTANCE.encodeToWire(wire, batch);
        FeedBatch refused = FeedBatch.refused(0, ResultCode.BAD_FEED_REQUEST, "max_events", 7, 1);
        int second = wire.length();
        FeedBatchCodec.INSTANCE.encodeToWire(wire, refused);
        assertEquals(batch, FeedBatchCodec.INSTANCE.decodeFromWire(6, wire));
        assertEquals(refused, FeedBatchCodec.INSTANCE.decodeFromWire(second, wire));
    }
}
