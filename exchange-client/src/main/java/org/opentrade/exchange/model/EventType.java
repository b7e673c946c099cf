package org.opentrade.exchange.model;

/** Kinds of {@link ExchangeEvent}. The first six are the replay contract's event names. */
public enum EventType {
    ACCEPTED(0), REJECTED(1), TRADE(2), CANCELED(3), REPLACED(4), EXPIRED(5), TRIGGERED(6);

    private final int code;

    EventType(int code) {
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
    public static EventType ofCode(int code) {
        if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        throw new IllegalArgumentException("unknown EventType code " + code);
    }

    /** Values indexed by code (codes are small and dense): decoding is an array read, not a scan. */
    private static final EventType[] BY_CODE = byCode();

    private static EventType[] byCode() {
        int max = 0;
        for (EventType v : values()) {
            max = Math.max(max, v.code);
        }
        EventType[] table = new EventType[max + 1];
        for (EventType v : values()) {
            table[v.code] = v;
        }
        return table;
    }
}
