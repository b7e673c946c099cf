package org.opentrade.exchange.domain;

import java.util.Collection;
import org.opentrade.exchange.model.Side;

/**
 * The observable state of an engine as text, for comparing two engines: clock, phase, live orders,
 * the state hash, and per symbol the last price, the band reference, every price level with its
 * total and every resting order in priority order (bids, then asks).
 */
public final class EngineState {
    private EngineState() {
    }

    public static String describe(MatchingEngine e, Collection<String> symbols) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("hash=").append(e.stateHash()).append(" clock=").append(e.clock()).append(" phase=")
                .append(e.phase()).append(" live=").append(e.liveOrders()).append('\n');
        for (String symbol : symbols) {
            OrderBook b = e.book(symbol);
            sb.append(symbol);
            if (b == null) {
                sb.append(" (no book)\n");
                continue;
            }
            sb.append(" last=").append(b.lastTradePrice()).append(" ref=").append(e.referencePrice(symbol))
                    .append(" orders=").append(b.orderCount()).append(" best=").append(b.bestPrice(Side.BUY))
                    .append('/').append(b.bestPrice(Side.SELL)).append('\n');
            for (Side side : Side.values()) {
                b.forEachLevel(side, (price, qty, count) -> {
                    sb.append("  ").append(side).append(" level ").append(price).append(' ').append(qty).append('/')
                            .append(count).append('\n');
                    return true;
                });
                b.forEachOrder(side, o -> sb.append("  ").append(describe(o)).append('\n'));
            }
        }
        return sb.toString();
    }

    public static String describe(Order o) {
        return o.side() + " " + o.id() + " " + o.account() + " " + o.type() + " " + o.tif() + " px=" + o.price()
                + " stop=" + o.stopPrice() + " qty=" + o.qty() + " filled=" + o.filled() + " leaves=" + o.leaves()
                + " seq=" + o.seq() + " at=" + o.enteredAt();
    }
}
