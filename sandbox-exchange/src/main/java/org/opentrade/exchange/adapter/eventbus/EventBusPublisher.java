package org.opentrade.exchange.adapter.eventbus;

import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.ExchangeAddresses;

import io.vertx.core.Context;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.port.EventPublisher;

/**
 * Publishes the exchange's events on {@link ExchangeAddresses#EVENTS} and
 * {@link ExchangeAddresses#events(String)}, one message per event, with headers {@code symbol},
 * {@code type} and {@code traceparent}.
 *
 * <p>Called on a shard thread; never blocks: it only enqueues the batch on one Vert.x context
 * (FIFO), where the JSON is built and published. So the shard spends no time on JSON, and
 * consumers see each shard's events in order.
 */
public final class EventBusPublisher implements EventPublisher {
    private final EventBus bus;
    private final Context context;

    /** @param context the context that encodes and publishes (e.g. the exchange service's) */
    public EventBusPublisher(EventBus bus, Context context) {
        this.bus = bus;
        this.context = context;
    }

    @Override
    public void publish(List<ExchangeEvent> events) {
        context.runOnContext(v -> {
            for (ExchangeEvent e : events) {
                publishNow(e);
            }
        });
    }

    private void publishNow(ExchangeEvent e) {
        JsonObject json = ExchangeJson.toJson(e);
        DeliveryOptions options = new DeliveryOptions().addHeader("type", e.type().name());
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
