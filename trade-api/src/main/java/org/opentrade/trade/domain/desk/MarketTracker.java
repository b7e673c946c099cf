package org.opentrade.trade.domain.desk;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * The little market state the risk checks need per symbol, from the feed: the last trade price and
 * today's band reference, rolled to the last price when a trade of a new trading day arrives (as
 * the exchange rolls it at the day end). Started from the exchange's book snapshots. Single-threaded.
 *
 * <p>The exchange rolls its reference at the day end, not at the new day's first trade: until that trade
 * {@link #reference(String, long)} answers the last price of the earlier day, as the exchange's band has it.
 * Read with the day's reference of the day before, a market buy was reserved at yesterday's upper limit and
 * could fill above it (cash below zero), and the band refused prices the exchange accepts.
 */
public final class MarketTracker {
    private static final class Mark {
        long reference;
        long last;
        String day;
    }

    private final Map<String, Mark> marks = new HashMap<>();
    private final LongFunction<String> tradingDayOf;

    public MarketTracker(LongFunction<String> tradingDayOf) {
        this.tradingDayOf = tradingDayOf;
    }

    /** Seeds a symbol from the universe's previous close. */
    public void seed(String symbol, long prevClose) {
        marks.computeIfAbsent(symbol, s -> new Mark()).reference = prevClose;
    }

    /** Takes reference and last price from an exchange snapshot. */
    public void load(BookSnapshot s) {
        Mark m = marks.computeIfAbsent(s.symbol(), x -> new Mark());
        if (s.reference() > 0) {
            m.reference = s.reference();
        }
        if (s.last() > 0) {
            m.last = s.last();
            m.day = s.time() > 0 ? tradingDayOf.apply(s.time()) : null;
        }
    }

    public void onEvent(ExchangeEvent e) {
        if (e.type() != EventType.TRADE || e.symbol() == null) {
            return;
        }
        Mark m = marks.computeIfAbsent(e.symbol(), x -> new Mark());
        String day = tradingDayOf.apply(e.timestamp());
        if (m.day != null && !m.day.equals(day) && m.last > 0) {
            m.reference = m.last;
        }
        m.day = day;
        m.last = e.price();
    }

    /** The band reference as of the last trade seen (the FIX market data's view); see {@link #reference(String, long)}. */
    public long reference(String symbol) {
        Mark m = marks.get(symbol);
        return m == null ? 0 : m.reference;
    }

    /**
     * Today's band reference at {@code nowMs}: once the trading day of the last trade is over, the last price
     * (the exchange rolled its reference to it at that day's end), even before the new day's first trade.
     */
    public long reference(String symbol, long nowMs) {
        Mark m = marks.get(symbol);
        if (m == null) {
            return 0;
        }
        return m.day != null && m.last > 0 && !m.day.equals(tradingDayOf.apply(nowMs)) ? m.last : m.reference;
    }

    /** Last trade price, 0 when none is known. */
    public long last(String symbol) {
        Mark m = marks.get(symbol);
        return m == null ? 0 : m.last;
    }

    /** The price positions are marked at: the last trade, else the reference (the last is never older). */
    public long mark(String symbol) {
        long last = last(symbol);
        return last > 0 ? last : reference(symbol);
    }
}
