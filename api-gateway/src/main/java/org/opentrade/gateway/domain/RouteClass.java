package org.opentrade.gateway.domain;

/**
 * How a route is limited, and what happens when the shared limiter is unreachable.
 */
public enum RouteClass {
    /** Market data: weighted; fails open to a local limiter (limit ÷ gateways). */
    MARKET_DATA(true),
    /** Reads of the caller's own trading state: weighted; fails open like market data. */
    TRADE_READ(true),
    /** New and replaced orders, account reset: weighted + order rate; fail closed (503 -3003). */
    ORDER_ENTRY(false),
    /** Cancels: never throttled, whatever the limiter's state. */
    CANCEL(false),
    /** The gateway's own endpoints (keys, usage): weighted; fail open. */
    PLATFORM(true);

    private final boolean failOpen;

    RouteClass(boolean failOpen) {
        this.failOpen = failOpen;
    }

    /** Whether a decision may fall back to the local limiter when the shared one is down. */
    public boolean failOpen() {
        return failOpen;
    }

    public boolean throttled() {
        return this != CANCEL;
    }
}
