package org.opentrade.exchange.domain;

import java.util.function.Consumer;
import org.opentrade.exchange.collect.LongMap;

/**
 * Live orders by id: a {@link LongMap} (open addressing, no boxing, no per-entry allocation) that hands
 * finished orders to the engine's pool when they leave. Single-threaded (engine thread only).
 */
public final class OrderIndex {
    private final LongMap<Order> orders;
    private OrderPool pool;

    public OrderIndex() {
        this(1024);
    }

    public OrderIndex(int expected) {
        orders = new LongMap<>(expected);
    }

    public Order get(long id) {
        return orders.get(id);
    }

    public boolean contains(long id) {
        return orders.get(id) != null;
    }

    /** Adds an order; the caller guarantees the id is not present. */
    public void put(Order order) {
        orders.put(order.id, order);
    }

    /** Lets finished orders be recycled: see {@link #remove}. */
    void recycleInto(OrderPool pool) {
        this.pool = pool;
    }

    /**
     * Removes a live order. An order that leaves the index with nothing left to fill (a resting order
     * filled by the book) is finished, and is handed to the engine's pool for reuse after the current
     * command.
     */
    public Order remove(long id) {
        Order v = orders.remove(id);
        if (v != null && v.leaves == 0 && pool != null) {
            pool.retire(v);
        }
        return v;
    }

    public int size() {
        return orders.size();
    }

    /**
     * Visits every live order, in no particular order (slot order, which changes as the table grows).
     * Walks the whole table: for rare queries, not the hot path. The visitor must not change the index.
     */
    public void forEach(Consumer<Order> visitor) {
        orders.forEach(visitor);
    }

    public void clear() {
        orders.clear();
    }
}
