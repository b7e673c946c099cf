package org.opentrade.exchange.domain;

import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.Side;

/**
 * Untriggered stop and stop-limit orders of one symbol. A buy stop fires when the last trade price
 * rises to its stop price or above, a sell stop when it falls to its stop price or below; among
 * several that fire at once the nearest stop price goes first, then arrival order. Stops are rare
 * next to limit orders, so plain sorted lists suffice.
 */
final class StopBook {
    /** Buy stops ascending by stop price (nearest to fire first), then sequence. */
    private final List<Order> buys = new ArrayList<>();
    /** Sell stops descending by stop price, then sequence. */
    private final List<Order> sells = new ArrayList<>();

    void add(Order o) {
        List<Order> l = o.side == Side.BUY ? buys : sells;
        int i = 0;
        while (i < l.size() && before(l.get(i), o)) {
            i++;
        }
        l.add(i, o);
    }

    private static boolean before(Order a, Order b) {
        if (a.stopPrice != b.stopPrice) {
            return a.side == Side.BUY ? a.stopPrice < b.stopPrice : a.stopPrice > b.stopPrice;
        }
        return a.seq <= b.seq;
    }

    boolean remove(Order o) {
        return (o.side == Side.BUY ? buys : sells).remove(o);
    }

    static boolean fires(Order o, long lastPrice) {
        return o.side == Side.BUY ? lastPrice >= o.stopPrice : lastPrice <= o.stopPrice;
    }

    /** Removes and returns the next stop that fires at {@code lastPrice}, or null. */
    Order pollTriggered(long lastPrice) {
        Order best = null;
        if (!buys.isEmpty() && fires(buys.get(0), lastPrice)) {
            best = buys.get(0);
        }
        if (!sells.isEmpty() && fires(sells.get(0), lastPrice)) {
            Order s = sells.get(0);
            if (best == null || s.seq < best.seq) {
                best = s;
            }
        }
        if (best != null) {
            remove(best);
        }
        return best;
    }

    /** All stops in a stable order: buys then sells, each in firing order. */
    List<Order> all() {
        List<Order> l = new ArrayList<>(buys.size() + sells.size());
        l.addAll(buys);
        l.addAll(sells);
        return l;
    }

    int size() {
        return buys.size() + sells.size();
    }
}
