package org.opentrade.exchange.model;

/** What a {@link Command} asks the engine to do. */
public enum CommandType {
    /** Enter a new order. */
    NEW_ORDER,
    /** Cancel the remaining quantity of a live order. */
    CANCEL,
    /** Change price and/or total quantity of a live order (replay-contract semantics). */
    REPLACE,
    /** Only advances the engine clock: phase changes, auctions and DAY expiry happen on it. */
    TIME_TICK
}
