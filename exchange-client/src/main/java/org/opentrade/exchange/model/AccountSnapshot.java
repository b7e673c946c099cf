package org.opentrade.exchange.model;

import java.util.List;

/**
 * The live orders of one account on one shard as of that shard's event {@code seq}: resting orders
 * with their leaves quantities and untriggered stops. An account trading symbols of several shards
 * gets one of these per shard, each stamped with its own shard's sequence.
 */
public record AccountSnapshot(int shard, long seq, String account, List<OrderView> orders) {
    public AccountSnapshot {
        orders = List.copyOf(orders);
    }
}
