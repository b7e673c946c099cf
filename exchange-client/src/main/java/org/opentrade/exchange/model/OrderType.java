package org.opentrade.exchange.model;

/**
 * Order types the engine understands. STOP becomes a MARKET order and STOP_LIMIT a LIMIT order
 * once the last trade price reaches the stop price.
 */
public enum OrderType {
    LIMIT(0), MARKET(1), STOP(2), STOP_LIMIT(3);

    private final int code;

    OrderType(int code) {
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
    public static OrderType ofCode(int code) {
        if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        throw new IllegalArgumentException("unknown OrderType code " + code);
    }

    /** Values indexed by code (codes are small and dense): decoding is an array read, not a scan. */
    private static final OrderType[] BY_CODE = byCode();

    private static OrderType[] byCode() {
        int max = 0;
        for (OrderType v : values()) {
            max = Math.max(max, v.code);
        }
        OrderType[] table = new OrderType[max + 1];
        for (OrderType v : values()) {
            table[v.code] = v;
        }
        return table;
    }

    /** True when the order carries a limit price. */
    public boolean hasLimitPrice() {
        return this == LIMIT || this == STOP_LIMIT;
    }

    /** True when the order waits for a trigger before it reaches the book. */
    public boolean isStop() {
        return this == STOP || this == STOP_LIMIT;
    }
}
