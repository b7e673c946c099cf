package org.opentrade.market.port;

import java.util.List;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Trade;

/**
 * What the live side tells the streams. Called on the market context, in feed order; must not block.
 */
public interface MarketListener {
    void trade(Trade trade);

    /** The symbol's quote (L1 or day statistics) changed. */
    void quote(String symbol);

    /**
     * The top of the book changed: the levels whose quantity changed, 0 meaning the level left the
     * top; {@code bookSeq} is the exchange sequence the book reflects.
     */
    void depth(String symbol, long bookSeq, List<BookLevel> bids, List<BookLevel> asks);

    /** A live bar of {@code symbol} changed (a trade) or closed. */
    void bar(Bar bar);

    /**
     * The board's time reached {@code nowMs} ({@code MarketBoard#onTime}, about once a second), after the bars it
     * ended were closed: a bar of a longer interval whose last trading minute (or day) had no trade ends here,
     * with no closing bar of its source interval to say so.
     */
    default void time(long nowMs) {
    }

    /**
     * The exchange numbers {@code symbol}'s trades again from below: a book snapshot counts fewer trades
     * of all time than this board had applied (the exchange's data was reset). The next trade is number
     * {@code count + 1}; numbers up to the old count now name other trades.
     */
    default void tradesRenumbered(String symbol, long count) {
    }

    MarketListener NONE = new MarketListener() {
        @Override
        public void trade(Trade trade) {
        }

        @Override
        public void quote(String symbol) {
        }

        @Override
        public void depth(String symbol, long bookSeq, List<BookLevel> bids, List<BookLevel> asks) {
        }

        @Override
        public void bar(Bar bar) {
        }
    };
}
