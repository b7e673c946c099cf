package org.opentrade.exchange.model;

/**
 * How long an order may live. GTC rests until filled or canceled; DAY expires at the end of the
 * trading day; IOC cancels whatever does not fill at once; FOK fills completely at once or expires.
 */
public enum TimeInForce {
    GTC(0), DAY(1), IOC(2), FOK(3);

    private final int code;

    TimeInForce(int code) {
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
    public static TimeInForce ofCode(int code) {
        if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        throw new IllegalArgumentException("unknown TimeInForce code " + code);
    }

    /** Values indexed by code (codes are small and dense): decoding is an array read, not a scan. */
    private static final TimeInForce[] BY_CODE = byCode();

    private static TimeInForce[] byCode() {
        int max = 0;
        for (TimeInForce v : values()) {
            max = Math.max(max, v.code);
        }
        TimeInForce[] table = new TimeInForce[max + 1];
        for (TimeInForce v : values()) {
            table[v.code] = v;
        }
        return table;
    }

    /** True when an unfilled remainder may rest in the book. */
    public boolean rests() {
        return this == GTC || this == DAY;
    }
}
