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

    /** Shares of {@code symbol} that open sell orders may still take. */
    long heldForSells(String symbol) {
        long held = 0;
        for (OrderEntry e : open.values()) {
            if (e.side == org.opentrade.exchange.model.Side.SELL && e.symbol.equals(symbol)) {
                held += e.leavesQty;
            }
        }
        return held;
    }
}
