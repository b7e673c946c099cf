package org.opentrade.exchange.domain;

/** Where the trading day stands, which decides what the engine accepts and whether it matches. */
public enum SessionPhase {
    /** No trading: new orders and replaces are refused, cancels are accepted. */
    CLOSED(false, false),
    /** Opening call auction: limit orders collect without matching; uncrossed when it ends. */
    CALL_AUCTION(true, false),
    /** Between the auction and continuous trading: orders collect without matching. */
    PRE_OPEN(true, false),
    /** Continuous price-time matching. */
    CONTINUOUS(true, true),
    /** Midday break: like CLOSED, the book stays. */
    BREAK(false, false);

    private final boolean acceptsOrders;
    private final boolean matches;

    SessionPhase(boolean acceptsOrders, boolean matches) {
        this.acceptsOrders = acceptsOrders;
        this.matches = matches;
    }

    public boolean acceptsOrders() {
        return acceptsOrders;
    }

    public boolean matches() {
        return matches;
    }
}
