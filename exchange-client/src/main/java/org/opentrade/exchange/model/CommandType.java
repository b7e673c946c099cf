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
        for (CommandType v : values()) {
            if (v.code == code) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown CommandType code " + code);
    }
}
