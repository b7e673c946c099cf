package org.opentrade.market.port;

import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Trade;

/**
 * Where the live side hands what history must keep: every trade, every closed 1m and 1d bar, and
 * the feed position they are complete up to. Called on the market context; never blocks (the
 * implementation buffers and writes off that thread).
 */
public interface HistorySink {
    void trade(Trade trade);

    void closedBar(Bar bar);

    /** Everything of {@code shard} up to {@code seq} has been handed over. */
    void position(int shard, long seq);
}
