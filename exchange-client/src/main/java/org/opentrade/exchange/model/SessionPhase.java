package org.opentrade.exchange.model;

/** Where the trading day stands, which decides what the engine accepts and whether it matches. */
public enum SessionPhase {
    /** No trading: new orders and replaces are refused, cancels are accepted. */
    CLOSED(0, false, false),
    /** Opening call auction: limit orders collect without matching; uncrossed when it ends. */
    CALL_AUCTION(1, true, false),
    /** Between the auction and continuous trading: orders collect without matching. */
    PRE_OPEN(2, true, false),
    /** Continuous price-time matching. */
    CONTINUOUS(3, true, true),
    /** Midday break: like CLOSED, the book stays. */
    BREAK(4, false, false);

    private final int code;
    private final boolean acceptsOrders;
    private final boolean matches;

    SessionPhase(int code, boolean acceptsOrders, boolean matches) {
        this.code = code;
        this.acceptsOrders = acceptsOrders;
        this.matches = matches;
    }

    /**
     * Stable number of this value in the engine snapshot format (equal to the ordinal that snapshot
     * version 1 wrote): never renumber or reuse one.
     */
    public int code() {
        return code;
    }

    /** The value with the given {@link #code()}; throws for an unknown code (corrupt or newer data). */
    public static SessionPhase ofCode(int code) {
        for (SessionPhase v : values()) {
            if (v.code == code) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown SessionPhase code " + code);
    }

    public boolean acceptsOrders() {
        return acceptsOrders;
    }

    public boolean matches() {
        return matches;
    }
}
