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
        if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        throw new IllegalArgumentException("unknown Side code " + code);
    }

    /** Values indexed by code (codes are small and dense): decoding is an array read, not a scan. */
    private static final Side[] BY_CODE = byCode();

    private static Side[] byCode() {
        int max = 0;
        for (Side v : values()) {
            max = Math.max(max, v.code);
        }
        Side[] table = new Side[max + 1];
        for (Side v : values()) {
            table[v.code] = v;
        }
        return table;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
