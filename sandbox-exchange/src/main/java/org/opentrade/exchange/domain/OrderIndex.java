package org.opentrade.exchange.domain;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Live orders by id: an open-addressing hash map from {@code long} to {@link Order} with linear
 * probing and backward-shift deletion. Hot-path structure: no boxing, no per-entry allocation.
 * Single-threaded (engine thread only).
 */
public final class OrderIndex {
    private long[] keys;
    private Order[] values;
    private int size;
    private int mask;
    private int resizeAt;
    private OrderPool pool;

    public OrderIndex() {
        this(1024);
    }

    public OrderIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        allocate(cap);
    }

    private void allocate(int cap) {
        keys = new long[cap];
        values = new Order[cap];
        mask = cap - 1;
        resizeAt = cap / 2;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    public Order get(long id) {
        int i = slot(id, mask);
        Order v;
        while ((v = values[i]) != null) {
            if (keys[i] == id) {
                return v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    public boolean contains(long id) {
        return get(id) != null;
    }

    /** Adds an order; the caller guarantees the id is not present. */
    public void put(Order order) {
        if (size >= resizeAt) {
            grow();
        }
        int i = slot(order.id, mask);
        while (values[i] != null) {
            if (keys[i] == order.id) {
                values[i] = order;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = order.id;
        values[i] = order;
        size++;
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
        int i = slot(id, mask);
        Order v;
        while ((v = values[i]) != null) {
            if (keys[i] == id) {
                shiftBack(i);
                size--;
                if (v.leaves == 0 && pool != null) {
                    pool.retire(v);
                }
                return v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            Order v = values[i];
            if (v == null) {
                break;
            }
            int home = slot(keys[i], mask);
            // Move the entry into the hole if its home slot is not between hole (exclusive) and i (inclusive).
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = v;
                hole = i;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Order[] oldValues = values;
        allocate(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldValues[i]);
            }
        }
    }

    public int size() {
        return size;
    }

    /**
     * Visits every live order, in no particular order (slot order, which changes as the table grows).
     * Walks the whole table: for rare queries, not the hot path. The visitor must not change the index.
     */
    public void forEach(Consumer<Order> visitor) {
        for (Order v : values) {
            if (v != null) {
                visitor.accept(v);
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        Arrays.fill(keys, 0);
        size = 0;
    }
}
