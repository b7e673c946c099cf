package org.opentrade.exchange.domain;

import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Side;

/**
 * Copies engine state into the immutable consumer records of the model ({@link BookSnapshot},
 * {@link OrderView}). Called on the engine thread for rare queries: allocates freely, never on the
 * matching path.
 */
final class MarketViews {
    private MarketViews() {
    }

    static BookSnapshot book(int shard, long seq, SymbolMarket m, boolean withOrders, long time) {
        List<OrderView> orders = null;
        List<OrderView> stops = null;
        if (withOrders) {
            orders = new ArrayList<>(m.book.orderCount());
            List<OrderView> into = orders;
            m.book.forEachOrder(Side.BUY, o -> into.add(view(o)));
            m.book.forEachOrder(Side.SELL, o -> into.add(view(o)));
            stops = new ArrayList<>(m.stops.size());
            for (Order o : m.stops.all()) {
                stops.add(view(o));
            }
        }
        DayStats d = m.day;
        return new BookSnapshot(shard, seq, m.symbol, levels(m.book, Side.BUY), levels(m.book, Side.SELL), orders,
                stops, m.book.lastTradePrice(), m.referencePrice, d.open, d.high, d.low, d.volume, d.turnover,
                d.trades, time, d.allTrades);
    }

    /** Every price level of one side, best first. */
    static List<BookLevel> levels(OrderBook book, Side side) {
        List<BookLevel> levels = new ArrayList<>();
        book.forEachLevel(side, (price, qty, count) -> levels.add(new BookLevel(price, qty, count)));
        return levels;
    }

    static OrderView view(Order o) {
        return new OrderView(o.id, o.account, o.symbol, o.side, o.type, o.tif, o.price, o.stopPrice, o.qty, o.filled,
                o.leaves, o.enteredAt);
    }
}
