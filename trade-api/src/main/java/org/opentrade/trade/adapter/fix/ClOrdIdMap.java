package org.opentrade.trade.adapter.fix;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ClOrdID → order id for the ClOrdIDs of cancels and replaces of one account (an order's first
 * ClOrdID is its {@code client_order_id}, which the ledger keeps and finds after a restart). Bounded:
 * the least recently used entry goes first, so a client sending endless new ClOrdIDs cannot grow it;
 * an evicted ClOrdID then reads as unknown (CxlRejReason 1) — the order is still reachable by its
 * first ClOrdID or its OrderID(37). Trade context only; not thread-safe.
 */
final class ClOrdIdMap {
    private final int capacity;
    private final LinkedHashMap<String, String> map;

    ClOrdIdMap(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > ClOrdIdMap.this.capacity;
            }
        };
    }

    void put(String clOrdId, String orderId) {
        map.put(clOrdId, orderId);
    }

    /** The order id, or null when unknown (or evicted). */
    String orderId(String clOrdId) {
        return map.get(clOrdId);
    }

    void remove(String clOrdId) {
        map.remove(clOrdId);
    }

    int size() {
        return map.size();
    }
}
