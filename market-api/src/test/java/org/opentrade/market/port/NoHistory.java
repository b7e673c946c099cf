package org.opentrade.market.port;

import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Trade;

/** History that keeps nothing: for tests of the live side, where what the store would get does not matter. */
public final class NoHistory implements HistorySink {
    public static final HistorySink INSTANCE = new NoHistory();

    private NoHistory() {
    }

    @Override
    public void trade(Trade trade) {
    }

    @Override
    public void closedBar(Bar bar) {
    }

    @Override
    public void position(int shard, long seq) {
    }
}
