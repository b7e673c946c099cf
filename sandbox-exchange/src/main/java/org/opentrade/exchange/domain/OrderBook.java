package org.opentrade.exchange.domain;

import java.util.function.Consumer;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

/**
 * The resting orders of one symbol in price-time priority, and the matching of an incoming order
 * against them. Two implementations exist: {@link FastOrderBook} (the one the engine runs) and
 * {@link ReferenceOrderBook} (obviously correct, slow) against which the fast one is
 * differential-tested. Session rules, validation and stops live in {@link MatchingEngine}; a book
 * only matches, rests and removes.
 *
 * <p>Resting orders are registered in the engine's {@link OrderIndex} by the book: added by
 * {@link #rest}, removed when they fill completely or by {@link #remove}.
 */
public interface OrderBook {

    String symbol();

    /**
     * Trades {@code taker} against the opposite side while prices cross and it has quantity left;
     * each trade is at the resting order's price and is reported before the next one happens.
     *
     * @return true when matching stopped because the next resting order belongs to the taker's own
     *     account and {@code preventSelfTrade} is on (the caller cancels the taker's remainder)
     */
    boolean match(Order taker, boolean preventSelfTrade, ExchangeListener listener);

    /**
     * Quantity the taker could fill right now, counted up to {@code needed} (so a FOK check stops
     * early); with {@code preventSelfTrade} counting stops at the first order of the taker's account.
     */
    long available(Order taker, long needed, boolean preventSelfTrade);

    /** Adds the order at the back of its price level and indexes it. */
    void rest(Order order);

    /** Takes a resting order out of the book and the index. */
    void remove(Order order);

    /** Lowers a resting order's remaining quantity in place, keeping its time priority. */
    void reduce(Order order, long newLeaves);

    /**
     * Auction uncross: trades the crossing orders in price-time priority, all at {@code price},
     * until no bid at or above it meets an ask at or below it.
     */
    void uncross(long price, ExchangeListener listener);

    /** Best price on a side, {@link Price#NONE} when the side is empty. */
    long bestPrice(Side side);

    /** Price of the last trade in this book, {@link Price#NONE} before the first. */
    long lastTradePrice();

    /** Visits price levels from the best outwards until the visitor returns false. */
    void forEachLevel(Side side, LevelVisitor visitor);

    /** Visits resting orders in priority order: best level first, then arrival order. */
    void forEachOrder(Side side, Consumer<Order> visitor);

    /** Number of resting orders on both sides. */
    int orderCount();

    /** Restores the last trade price from a snapshot. */
    void restoreLastTradePrice(long price);

    /** Receives one aggregated price level. */
    @FunctionalInterface
    interface LevelVisitor {
        /** @return false to stop the walk */
        boolean visit(long price, long totalQty, int orderCount);
    }

    /** Creates books; lets the engine run on either implementation. */
    @FunctionalInterface
    interface Factory {
        OrderBook create(String symbol, OrderIndex index);
    }
}
