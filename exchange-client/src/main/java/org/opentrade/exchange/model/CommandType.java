package org.opentrade.exchange.model;

/** What a {@link Command} asks the engine to do. */
public enum CommandType {
    /** Enter a new order. */
    NEW_ORDER(0),
    /** Cancel the remaining quantity of a live order. */
    CANCEL(1),
    /** Change price and/or total quantity of a live order (replay-contract semantics). */
    REPLACE(2),
    /** Only advances the engine clock: phase changes, auctions and DAY expiry happen on it. */
    TIME_TICK(3);

    private final int code;

    CommandType(int code) {
        this.code = code;
    }

    /**
     * Stable number of this value in the journal format (equal to the ordinal of the first,
     * unversioned format): never renumber or reuse one.
     */
    public int code() {
        return code;
    }

    /** The value with the given {@link #code()}; throws for an unknown code (corrupt or newer data). */
    public static CommandType ofCode(int code) {
        if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        throw new IllegalArgumentException("unknown CommandType code " + code);
    }

    /** Values indexed by code (codes are small and dense): decoding is an array read, not a scan. */
    private static final CommandType[] BY_CODE = byCode();

    private static CommandType[] byCode() {
        int max = 0;
        for (CommandType v : values()) {
            max = Math.max(max, v.code);
        }
        CommandType[] table = new CommandType[max + 1];
        for (CommandType v : values()) {
            table[v.code] = v;
        }
        return table;
    }
}
