package org.opentrade.exchange.model;

/** Side of an order. */
public enum Side {
    BUY, SELL;

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
