package org.opentrade.exchange.model;

/** Side of an order. */
public enum Side {
    BUY(0), SELL(1);

    private final int code;

    Side(int code) {
        this.code = code;
    }

    /**
     * Stable number of this value in the journal, snapshot and event-log formats (equal to the
     * ordinal of the first, unversioned format): never renumber or reuse one.
     */
    public int code() {
        return code;
    }

    /** The value with the given {@link #code()}; throws for an unknown code (corrupt or newer data). */
    public static Side ofCode(int code) {
        for (Side v : values()) {
            if (v.code == code) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown Side code " + code);
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
