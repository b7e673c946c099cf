package org.opentrade.exchange.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import org.opentrade.exchange.model.FeedBatch;

/** Placeholder until the wire mapping lands: local delivery only. */
public final class FeedBatchCodec implements MessageCodec<FeedBatch, FeedBatch> {
    public static final String NAME = "opentrade-feed-batch";

    public static void register(Vertx vertx) {
        try {
            vertx.eventBus().registerDefaultCodec(FeedBatch.class, new FeedBatchCodec());
        } catch (IllegalStateException already) {
            // registered before
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, FeedBatch b) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public FeedBatch decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public FeedBatch transform(FeedBatch b) {
        return b;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
