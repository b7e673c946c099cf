package org.opentrade.exchange.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.opentrade.exchange.model.FeedBatch;

/**
 * Event-bus codec of {@link FeedBatch}. On the local bus {@link #transform} hands over the same
 * object (a FeedBatch and its events are immutable), so publishing a batch to every consumer of a
 * shard costs no copy; across a cluster the batch travels as its {@link ExchangeJson} form,
 * length-prefixed: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
 *
 * <p>Stateless and thread-safe; one instance serves every Vert.x instance. {@link #register} makes
 * it the default codec of {@code FeedBatch}, so senders need no {@code DeliveryOptions}.
 */
public final class FeedBatchCodec implements MessageCodec<FeedBatch, FeedBatch> {
    /** The codec's name on the bus. */
    public static final String NAME = "opentrade.feed-batch";
    /** The one instance. */
    public static final FeedBatchCodec INSTANCE = new FeedBatchCodec();

    private FeedBatchCodec() {
    }

    /**
     * Registers the codec on {@code vertx}'s event bus, by name and as the default codec of
     * {@code FeedBatch}. Idempotent: the exchange and every consumer library call it, in any order,
     * and a second call is a no-op. (Register it through this method only: a codec registered by name
     * alone, without the default mapping, would make this call a no-op too.)
     */
    public static void register(Vertx vertx) {
        try {
            vertx.eventBus().registerDefaultCodec(FeedBatch.class, INSTANCE);
        } catch (IllegalStateException alreadyRegistered) {
            // registered before (by us or another component sharing this Vert.x): nothing to do
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, FeedBatch batch) {
        Buffer json = ExchangeJson.toJson(batch).toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
    }

    /** Reads what {@link #encodeToWire} wrote; throws IllegalArgumentException for bad JSON. */
    @Override
    public FeedBatch decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return ExchangeJson.feedBatchFromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    /** The same instance: batches are immutable, so local delivery needs no copy. */
    @Override
    public FeedBatch transform(FeedBatch batch) {
        return batch;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** -1: a user codec. */
    @Override
    public byte systemCodecID() {
        return -1;
    }
}
