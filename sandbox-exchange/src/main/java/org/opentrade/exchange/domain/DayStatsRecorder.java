package org.opentrade.exchange.domain;

import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ResultCode;

/**
 * Stands between a book and the engine's listener while the book matches or uncrosses: adds each
 * trade to the symbol's {@link DayStats}, then forwards it; every other outcome is forwarded
 * untouched. One instance per engine, re-aimed with {@link #on} before each book call, so the hot
 * path allocates nothing. Engine thread only.
 */
final class DayStatsRecorder implements ExchangeListener {
    private DayStats stats;
    private ExchangeListener next;

    /** Aims this recorder at one symbol's statistics and the listener of the current command. */
    DayStatsRecorder on(DayStats dayStats, ExchangeListener listener) {
        this.stats = dayStats;
        this.next = listener;
        return this;
    }

    @Override
    public void onTrade(Order incoming, Order resting, long price, long qty) {
        stats.record(price, qty);
        next.onTrade(incoming, resting, price, qty);
    }

    @Override
    public void onAccepted(Order order) {
        next.onAccepted(order);
    }

    @Override
    public void onRejected(Command command, ResultCode code) {
        next.onRejected(command, code);
    }

    @Override
    public void onCanceled(Order order, long canceledQty) {
        next.onCanceled(order, canceledQty);
    }

    @Override
    public void onReplaced(Order order) {
        next.onReplaced(order);
    }

    @Override
    public void onExpired(Order order, long expiredQty) {
        next.onExpired(order, expiredQty);
    }

    @Override
    public void onTriggered(Order order) {
        next.onTriggered(order);
    }
}
