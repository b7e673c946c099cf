package org.opentrade.exchange.domain;

import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ResultCode;

/**
 * Receives the events one command causes, in processing order, on the engine thread. Every method
 * defaults to doing nothing, so a listener overrides only what it needs. Orders passed
 * in are live engine objects: read them during the call, copy what you keep, never mutate them.
 */
public interface ExchangeListener {

    /** The order passed validation; for stops it now waits for its trigger. */
    default void onAccepted(Order order) {
    }

    /** The command was refused; nothing changed. */
    default void onRejected(Command command, ResultCode code) {
    }

    /**
     * A trade of {@code qty} at {@code price}. In continuous trading {@code incoming} is the taker
     * and {@code resting} the maker whose price is used; in an auction uncross {@code incoming} is
     * the later-arrived of the two.
     */
    default void onTrade(Order incoming, Order resting, long price, long qty) {
    }

    /** The remaining {@code canceledQty} of the order was canceled (request, IOC/market remainder, STP). */
    default void onCanceled(Order order, long canceledQty) {
    }

    /** The order took a new price and/or total quantity. */
    default void onReplaced(Order order) {
    }

    /** FOK that could not fill completely, or DAY order at the end of the trading day. */
    default void onExpired(Order order, long expiredQty) {
    }

    /** A stop order's trigger price was reached; it now enters the book as market or limit. */
    default void onTriggered(Order order) {
    }

    /** A listener that ignores everything (benchmarks, recovery replay). */
    ExchangeListener NONE = new ExchangeListener() {
    };
}
