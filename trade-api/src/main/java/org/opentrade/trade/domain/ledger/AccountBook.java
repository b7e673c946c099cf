package org.opentrade.trade.domain.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentrade.trade.domain.Fill;

/**
 * Everything the ledger keeps for one account. Ledger thread only. Closed orders and fills are
 * kept for the account's life (history for reads and paging): memory grows with activity.
 *
 * <p>Books balance exactly: {@code cash + Σ holding basis + feesPaid − realized == startingCash}.
 */
final class AccountBook {
    final String account;
    long startingCash;
    long cash;
    long realized;
    long feesPaid;
    /** Last order-stream seq handed out. */
    long updateSeq;
    long openedAt;
    long resetAt;
    final TreeMap<String, Holding> holdings = new TreeMap<>();
    final List<OrderEntry> orders = new ArrayList<>();
    final Map<String, OrderEntry> byOrderId = new HashMap<>();
    final Map<String, OrderEntry> byClientId = new HashMap<>();
    /** Open orders in creation order: reservations, held shares and cancel-all read only these. */
    final LinkedHashMap<String, OrderEntry> open = new LinkedHashMap<>();
    final List<Fill> fills = new ArrayList<>();
    /**
     * Cash the open buys reserve: the sum of their {@link OrderEntry#reservedCash}, kept incrementally
     * by the ledger on every order change (accepted, filled, canceled, replaced, rejected, expired), so
     * a buying-power check is O(1) instead of a pass over the open orders. Derived: not in snapshots.
     */
    long reserved;
    /** Per symbol, shares open sells hold (sum of {@link OrderEntry#heldShares}); absent = 0. Derived. */
    final Map<String, long[]> heldForSells = new HashMap<>();

    AccountBook(String account) {
        this.account = account;
    }

    void add(OrderEntry e) {
        orders.add(e);
        byOrderId.put(e.orderId, e);
        byClientId.put(e.clientOrderId, e);
        if (e.isOpen()) {
            open.put(e.orderId, e);
        }
    }

    Holding holding(String symbol) {
        return holdings.computeIfAbsent(symbol, Holding::new);
    }

    /** Shares of {@code symbol} that open sell orders may still take. O(1). */
    long heldForSells(String symbol) {
        long[] held = heldForSells.get(symbol);
        return held == null ? 0 : held[0];
    }

    /** Adds {@code delta} shares to what open sells of {@code symbol} hold (the ledger's bookkeeping). */
    void addHeldForSells(String symbol, long delta) {
        long[] held = heldForSells.computeIfAbsent(symbol, k -> new long[1]);
        held[0] = Math.addExact(held[0], delta);
        if (held[0] == 0) {
            heldForSells.remove(symbol);
        }
    }
}
