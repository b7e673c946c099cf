package org.opentrade.exchange.model;

/**
 * Order types the engine understands. STOP becomes a MARKET order and STOP_LIMIT a LIMIT order
 * once the last trade price reaches the stop price.
 */
public enum OrderType {
    LIMIT, MARKET, STOP, STOP_LIMIT;

    /** True when the order carries a limit price. */
    public boolean hasLimitPrice() {
        return this == LIMIT || this == STOP_LIMIT;
    }

    /** True when the order waits for a trigger before it reaches the book. */
    public boolean isStop() {
        return this == STOP || this == STOP_LIMIT;
    }
}
