package org.opentrade.market.domain;

/**
 * A bar being accumulated from trades or from finer bars. Mutable, single-threaded, allocation-free
 * per update.
 */
final class BarBuilder {
    final long time;
    private long open;
    private long high;
    private long low;
    private long close;
    private long volume;
    private long turnover;
    private long trades;
    private long buyVolume;
    private boolean empty = true;

    BarBuilder(long time) {
        this.time = time;
    }

    /** A builder in the same state, to add to without changing this one. */
    BarBuilder copy() {
        BarBuilder b = new BarBuilder(time);
        b.open = open;
        b.high = high;
        b.low = low;
        b.close = close;
        b.volume = volume;
        b.turnover = turnover;
        b.trades = trades;
        b.buyVolume = buyVolume;
        b.empty = empty;
        return b;
    }

    void addTrade(long price, long qty, boolean activeBuy) {
        addPrices(price, price, price, price);
        volume += qty;
        turnover += price * qty;
        trades++;
        if (activeBuy) {
            buyVolume += qty;
        }
    }

    void addBar(Bar b) {
        addPrices(b.open(), b.high(), b.low(), b.close());
        volume += b.volume();
        turnover += b.turnover();
        trades += b.trades();
        buyVolume += b.buyVolume();
    }

    private void addPrices(long o, long h, long l, long c) {
        if (empty) {
            open = o;
            high = h;
            low = l;
            empty = false;
        } else {
            high = Math.max(high, h);
            low = Math.min(low, l);
        }
        close = c;
    }

    boolean isEmpty() {
        return empty;
    }

    long volume() {
        return volume;
    }

    long turnover() {
        return turnover;
    }

    Bar build(String symbol, Interval interval) {
        return new Bar(symbol, interval, time, open, high, low, close, volume, turnover, trades, buyVolume);
    }
}
