package org.opentrade.exchange.port;

import java.util.List;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * Where a shard sends its events (market data, order updates): once per batch of commands, after
 * the commands are durable and the events are in the shard's {@link EventLog}. Called on the shard
 * thread; must not block.
 */
@FunctionalInterface
public interface EventPublisher {

    /**
     * The events of one batch of {@code shard}, in order, with consecutive sequences continuing the
     * previous call's (also across restarts: after recovery the events the crash kept from being
     * published come first). Never empty. The list is the publisher's to keep.
     */
    void publish(int shard, List<ExchangeEvent> events);

    EventPublisher NONE = (shard, events) -> { };
}
