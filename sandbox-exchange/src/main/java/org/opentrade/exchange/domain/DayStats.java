package org.opentrade.exchange.domain;

import org.opentrade.exchange.model.Price;

/**
 * One symbol's statistics for the current trading day: open, high, low, volume, turnover and number
 * of trades, and the symbol's trades of all time ({@link #allTrades}). The engine records every trade (continuous and auction uncross) and resets the
 * statistics where it rolls the daily band reference, at the trading-day end.
 *
 * <p>Engine thread only. {@link #record} is on the matching hot path: a few field updates, no
 * allocation. Volume and turnover saturate at {@link Long#MAX_VALUE} instead of wrapping (pure
 * mode allows quantities whose value exceeds a {@code long}).
 */
final class DayStats {
    /** First trade price of the day, {@link Price#NONE} before the first trade. */
    long open;
    long high;
    long low;
    /** Shares traded. */
    long volume;
    /** Σ price × qty, in hundredths. */
    long turnover;
    long trades;
    /**
     * Trades of the symbol since the engine's history began: never reset at a day end, restored from
     * snapshots (version 3 on). Consumers number the symbol's trades by it, so a trade stream has the
     * same numbers in every process that follows the feed.
     */
    long allTrades;

    void record(long price, long qty) {
        if (trades == 0) {
            open = price;
            high = price;
            low = price;
        } else if (price > high) {
            high = price;
        } else if (price < low) {
            low = price;
        }
        volume = saturatedAdd(volume, qty);
        turnover = saturatedAdd(turnover, Math.multiplyHigh(price, qty) == 0 ? price * qty : -1);
        trades++;
        allTrades++;
    }

    /**
     * {@code a} is a non-negative total; a negative {@code b} stands for an addend beyond a
     * {@code long} (a product at or above 2<sup>63</sup> reads negative too). Either way, or when the
     * sum overflows, the result sticks at {@link Long#MAX_VALUE}.
     */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 || b < 0 ? Long.MAX_VALUE : sum;
    }

    void reset() {
        open = Price.NONE;
        high = Price.NONE;
        low = Price.NONE;
        volume = 0;
        turnover = 0;
        trades = 0;
    }
}
