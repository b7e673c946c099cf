package org.opentrade.market.domain;

/**
 * Receives the bars {@link LiveSymbol} closes: {@link Interval#M1} bars when their minute is over and
 * {@link Interval#D1} bars at the trading-day boundary (the store writer persists them). Called on
 * the thread that drives the {@link LiveSymbol} (the feed's event loop), synchronously, in time
 * order; an implementation must not block — hand the bar over to the writer's queue.
 */
@FunctionalInterface
public interface BarSink {
    /** A sink that drops every bar (tests, read-only replays). */
    BarSink NONE = bar -> { };

    void closed(Bar bar);
}
