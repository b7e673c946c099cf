package org.opentrade.exchange.domain.sim;

import org.opentrade.exchange.model.Side;

/**
 * The simulator's own view of one of its orders, kept up to date from the exchange's events.
 * While a command about it is in flight it is {@code pending} and nobody sends another.
 */
final class SimOrder {
    enum State { PENDING_NEW, LIVE, PENDING_REPLACE, PENDING_CANCEL, DONE }

    final long id;
    final String account;
    final String symbol;
    final Side side;
    final long createdAt;
    /** Confirmed limit price (or the requested one while PENDING_NEW). */
    long price;
    /** Price asked for by an in-flight replace. */
    long targetPrice;
    long qty;
    long leaves;
    long filled;
    State state = State.PENDING_NEW;

    SimOrder(long id, String account, String symbol, Side side, long price, long qty, long createdAt) {
        this.id = id;
        this.account = account;
        this.symbol = symbol;
        this.side = side;
        this.price = price;
        this.targetPrice = price;
        this.qty = qty;
        this.leaves = qty;
        this.createdAt = createdAt;
    }

    boolean isLive() {
        return state == State.LIVE;
    }

    boolean isDone() {
        return state == State.DONE;
    }

    /** The price this order will have once its in-flight command lands. */
    long intendedPrice() {
        return state == State.PENDING_REPLACE ? targetPrice : price;
    }
}
