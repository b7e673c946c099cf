package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Context;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.port.EventPublisher;

/**
 * Publishes each shard's batches as {@link FeedBatch}es on {@link ExchangeAddresses#feed(int)} and,
 * when asked, every event as JSON on {@link ExchangeAddresses#EVENTS} and
 * {@link ExchangeAddresses#events(String)} (headers {@code symbol}, {@code type},
 * {@code traceparent}); sends each shard's heartbeat.
 *
 * <p>Called on a shard thread; never blocks: it only enqueues the batch on one Vert.x context
 * (FIFO), where it is published. So the shard spends no time on the bus, and consumers see each
 * shard's events in order; heartbeats go out on the same context, after every batch published
 * before them, so their {@code head_seq} never runs ahead of the live stream.
 */
public final class EventBusPublisher implements EventPublisher {
    private final EventBus bus;
    private final Context context;
    private final boolean jsonEvents;
    /** JSON made per local consumer ({@link EventJsonCodec}), not per event: a non-clustered bus. */
    private final boolean lazyJson;
    /** Last seq published per shard; touched only on {@link #context}. */
    private final long[] published;

    /**
     * @param context    the context that publishes (e.g. the exchange service's)
     * @param shards     number of shards
     * @param jsonEvents also publish one JSON message per event on the per-event addresses (for
     *                   tools; costs encoding on the context)
     */
    public EventBusPublisher(EventBus bus, Context context, int shards, boolean jsonEvents) {
        this.bus = bus;
        this.context = context;
        this.jsonEvents = jsonEvents;
        this.published = new long[shards];
        this.lazyJson = jsonEvents && !context.owner().isClustered();
        if (lazyJson) {
            try {
                bus.registerCodec(EventJsonCodec.INSTANCE);
            } catch (IllegalStateException registeredBefore) {
                // another publisher on this Vert.x registered it: the same stateless instance
            }
        }
    }

    @Override
    public void publish(int shard, List<ExchangeEvent> events) {
        context.runOnContext(v -> {
            published[shard] = events.get(events.size() - 1).seq();
            bus.publish(ExchangeAddresses.feed(shard), FeedBatch.of(shard, published[shard], 0, events));
            if (jsonEvents) {
                for (ExchangeEvent e : events) {
                    publishJson(e);
                }
            }
        });
    }

    /**
     * Sends an empty batch per shard whose {@code head_seq} is the last sequence published. Call on
     * {@link #context}.
     *
     * @param firstKept oldest replayable sequence per shard; negative for a shard another process runs
     *                  (that process beats for it)
     */
    public void heartbeat(long[] firstKept) {
        for (int shard = 0; shard < published.length; shard++) {
            if (firstKept[shard] < 0) {
                continue;
            }
            bus.publish(ExchangeAddresses.feed(shard), FeedBatch.of(shard, published[shard], firstKept[shard],
                    List.of()));
        }
    }

    /** Starts the heartbeat sequence where recovery left each shard. Call on {@link #context}, before any batch. */
    public void startAt(int shard, long headSeq) {
        published[shard] = Math.max(published[shard], headSeq);
    }

    private void publishJson(ExchangeEvent e) {
        Object json = lazyJson ? e : ExchangeJson.toJson(e);
        DeliveryOptions options = new DeliveryOptions().addHeader("type", e.type().name());
        if (lazyJson) {
            options.setCodecName(EventJsonCodec.NAME);
        }
        if (e.symbol() != null) {
            options.addHeader("symbol", e.symbol());
        }
        if (e.traceParent() != null) {
            options.addHeader(ExchangeAddresses.TRACEPARENT_HEADER, e.traceParent());
        }
        bus.publish(ExchangeAddresses.EVENTS, json, options);
        if (e.symbol() != null) {
            bus.publish(ExchangeAddresses.events(e.symbol()), json, options);
        }
    }
}
