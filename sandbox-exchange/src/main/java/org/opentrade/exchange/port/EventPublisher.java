package org.opentrade.exchange.port;

import java.util.List;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * Where a shard sends the events of each processed command (market data, order updates).
 * Called on the shard thread after the command is durable; must not block.
 */
@FunctionalInterface
public interface EventPublisher {

    /** The events of one command, in order; the list is the publisher's to keep. */
    void publish(List<ExchangeEvent> events);

    EventPublisher NONE = events -> { };
}
