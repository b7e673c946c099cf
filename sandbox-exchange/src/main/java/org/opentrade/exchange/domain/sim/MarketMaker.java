package org.opentrade.exchange.domain.sim;

import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * One market maker on one instrument: keeps a ladder of {@code levels} DAY limit orders per side
 * around the fair value. When the target ladder moves it re-uses the orders that fell off it
 * (replace to a missing price, so a one-step move costs one command per side), cancels what is
 * left over and fills gaps with new orders. Orders with a command in flight are left alone.
 */
final class MarketMaker {
    private final String account;
    private final List<SimOrder> bids = new ArrayList<>();
    private final List<SimOrder> asks = new ArrayList<>();

    MarketMaker(String account) {
        this.account = account;
    }

    /**
     * Moves one side of the ladder to the target prices ({@code targets} best first, {@code sizes[i]}
     * the quantity for level i). Callers move every maker's receding side before the advancing one,
     * so a new quote rarely meets a stale one.
     */
    void quote(OrderEntry entry, String symbol, Side side, long[] targets, long[] sizes) {
        List<SimOrder> ladder = side == Side.BUY ? bids : asks;
        ladder.removeIf(SimOrder::isDone);
        List<SimOrder> stale = new ArrayList<>();
        for (SimOrder o : ladder) {
            if (o.isLive() && indexOf(targets, o.intendedPrice()) < 0) {
                stale.add(o);
            }
        }
        // Farthest from the touch first: those are the ones to move to the new inside prices.
        stale.sort((a, b) -> side == Side.BUY ? Long.compare(a.price, b.price) : Long.compare(b.price, a.price));
        int s = 0;
        for (int level = 0; level < targets.length; level++) {
            long price = targets[level];
            if (price <= 0 || occupied(ladder, price)) {
                continue;
            }
            if (s < stale.size()) {
                SimOrder o = stale.get(s++);
                if (o.filled == 0 && entry.replace(o, price, sizes[level])) {
                    continue;
                }
                if (o.filled > 0) {
                    entry.cancel(o); // a partly filled order would carry odd quantities into a replace
                }
            }
            ladder.add(entry.limit(account, symbol, side, TimeInForce.DAY, price, sizes[level]));
        }
        for (; s < stale.size(); s++) {
            entry.cancel(stale.get(s));
        }
    }

    private static boolean occupied(List<SimOrder> ladder, long price) {
        for (SimOrder o : ladder) {
            if (!o.isDone() && o.state != SimOrder.State.PENDING_CANCEL && o.intendedPrice() == price) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(long[] prices, long p) {
        for (int i = 0; i < prices.length; i++) {
            if (prices[i] == p) {
                return i;
            }
        }
        return -1;
    }

    /** Cancels every live order of this maker (instrument switched off). */
    void withdraw(OrderEntry entry) {
        withdraw(entry, bids);
        withdraw(entry, asks);
    }

    private static void withdraw(OrderEntry entry, List<SimOrder> ladder) {
        ladder.removeIf(SimOrder::isDone);
        for (SimOrder o : ladder) {
            if (o.isLive()) {
                entry.cancel(o);
            }
        }
    }

    boolean hasOrders() {
        bids.removeIf(SimOrder::isDone);
        asks.removeIf(SimOrder::isDone);
        return !bids.isEmpty() || !asks.isEmpty();
    }
}
