package org.opentrade.exchange.model;

import java.util.List;

/**
 * The state of one symbol as of event {@code seq} of shard {@code shard}: the full L2 book (every
 * level, best first) and the day's statistics. A consumer that applies the shard's events after
 * {@code seq} to it stays exact.
 *
 * @param orders     the resting orders in priority order (best level first, then arrival), or null
 *                   when not asked for; an L3 view that lets a replica follow every later event
 * @param stops      untriggered stop orders (not in the book), or null when not asked for
 * @param last       price of the last trade, {@link Price#NONE} before the first
 * @param reference  the daily band's reference price (previous close, rolled at each day end)
 * @param open       first trade price of the trading day, {@link Price#NONE} before the first
 * @param volume     shares traded in the trading day
 * @param turnover   value traded in the trading day, in hundredths
 * @param trades     number of trades in the trading day
 * @param time       engine time of the snapshot (epoch ms: the latest command timestamp)
 * @param allTrades  the symbol's trades since the exchange's history began (never reset; the last
 *                   trade at or before {@code seq} is number {@code allTrades}), or -1 when the
 *                   exchange that answered does not keep the count
 */
public record BookSnapshot(int shard, long seq, String symbol, List<BookLevel> bids, List<BookLevel> asks,
                           List<OrderView> orders, List<OrderView> stops, long last, long reference, long open,
                           long high, long low, long volume, long turnover, long trades, long time,
                           long allTrades) {
    public BookSnapshot {
        bids = List.copyOf(bids);
        asks = List.copyOf(asks);
        orders = orders == null ? null : List.copyOf(orders);
        stops = stops == null ? null : List.copyOf(stops);
    }
}
