package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * One symbol's current bar of every interval, rolled up from its closed source bars (1m for the
 * intraday intervals, 1d for 1d/1w/1M) and its live source bar exactly as {@link KlineRollup} rolls
 * them, without reading and rolling up the period's closed bars again on every trade.
 *
 * <p>Per interval it keeps the period last asked for (start and end, so the calendar is not asked
 * again while a time stays inside it) and the rollup of that period's closed bars, valid while the
 * source cache's {@link BarCache#version} and the live bar's time stay the same: a trade then costs one
 * merge of the live bar into a copy of that rollup. When a minute closes the source cache moves and
 * the next call rolls the period up again, once.
 *
 * <p>Not thread-safe: one symbol's state on the market context.
 */
public final class PeriodBars {
    /** As many source bars as a period can hold, with room (a 1M bar from 1d bars, a 60m bar from 1m bars). */
    private static final int MAX_SOURCE_BARS = 100_000;

    private final MarketCalendar calendar;
    private final Period[] periods = new Period[Interval.values().length];

    /** One interval's last period and the rollup of its closed source bars. */
    private static final class Period {
        /** The bar's time; its period is [start, end), which can begin earlier ({@link MarketCalendar#barSpanStart}). */
        long time = Long.MIN_VALUE;
        long start = Long.MIN_VALUE;
        long end = Long.MIN_VALUE;
        long tradingEnd = Long.MIN_VALUE;
        long sourceVersion = -1;
        long liveTime = Long.MIN_VALUE;
        /** The closed source bars of the period before the live one's time; null when not computed. */
        BarBuilder closed;
    }

    public PeriodBars(MarketCalendar calendar) {
        this.calendar = calendar;
    }

    /**
     * The first moment of the period of the bar of {@code interval} containing {@code time}
     * ({@link MarketCalendar#barSpanStart}: the bar's time, or earlier for an A-share session's first bar).
     */
    public long start(Interval interval, long time) {
        return period(interval, time).start;
    }

    /** The end of that period, where the next bar's starts ({@link MarketCalendar#nextBarStart}). */
    public long end(Interval interval, long time) {
        return period(interval, time).end;
    }

    /** When that bar has had all its trading minutes ({@link MarketCalendar#barTradingEnd}): it is final then. */
    public long tradingEnd(Interval interval, long time) {
        return period(interval, time).tradingEnd;
    }

    /**
     * Whether the 1m bar starting at {@code minute} is the last trading minute of its bar of {@code interval}, so
     * that bar is final once the minute closes: 11:29 for the A-share 10:30 bar (its period runs on to 13:00, with
     * no trading), 09:59 for the 09:00 bar of the 24×7 calendar.
     */
    public boolean lastMinuteOf(Interval interval, long minute) {
        return minute + 60_000 >= period(interval, minute).tradingEnd;
    }

    /**
     * The bar of {@code interval} containing {@code time}: {@code source}'s closed bars of that period with
     * {@code live} (the live bar of {@code interval}'s source interval, or null) in place of a closed bar
     * of its time; null when the period has no bar. Equal to the last bar of
     * {@link KlineRollup#rollup} over those bars.
     *
     * @param source the symbol's cache of closed bars of the source interval (1m for intraday intervals,
     *               else 1d)
     */
    public Bar bar(Interval interval, long time, BarCache source, Bar live) {
        Period p = period(interval, time);
        boolean liveInPeriod = live != null && live.time() >= p.start && live.time() < p.end;
        if (!liveInPeriod) {
            return rolledUp(interval, source.range(p.start, p.end, MAX_SOURCE_BARS), null);
        }
        if (interval == live.interval()) {
            return live; // a period of the source interval holds one bar: the live one replaces a closed one
        }
        if (p.closed == null || p.sourceVersion != source.version() || p.liveTime != live.time()) {
            List<Bar> closed = source.range(p.start, p.end, MAX_SOURCE_BARS);
            if (!closed.isEmpty() && closed.get(closed.size() - 1).time() > live.time()) {
                p.closed = null; // a closed bar after the live one: not the shape kept here, roll up as ever
                return rolledUp(interval, closed, live);
            }
            BarBuilder b = new BarBuilder(p.time);
            int n = closed.size();
            if (n > 0 && closed.get(n - 1).time() == live.time()) {
                n--;
            }
            for (int i = 0; i < n; i++) {
                b.addBar(closed.get(i));
            }
            p.closed = b;
            p.sourceVersion = source.version();
            p.liveTime = live.time();
        }
        BarBuilder b = p.closed.copy();
        b.addBar(live);
        return b.build(live.symbol(), interval);
    }

    private Period period(Interval interval, long time) {
        Period p = periods[interval.ordinal()];
        if (p == null) {
            p = new Period();
            periods[interval.ordinal()] = p;
        }
        if (time < p.start || time >= p.end) {
            p.time = calendar.barStart(interval, time);
            p.start = calendar.barSpanStart(interval, time);
            p.end = calendar.nextBarStart(interval, p.time);
            p.tradingEnd = calendar.barTradingEnd(interval, p.time);
            p.closed = null;
        }
        return p;
    }

    /** The general case, as before this cache: the closed bars with {@code live} in place, rolled up. */
    private Bar rolledUp(Interval interval, List<Bar> closed, Bar live) {
        List<Bar> parts = closed;
        if (live != null) {
            parts = new ArrayList<>(closed);
            if (!parts.isEmpty() && parts.get(parts.size() - 1).time() == live.time()) {
                parts.set(parts.size() - 1, live);
            } else {
                parts.add(live);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        List<Bar> rolled = KlineRollup.rollup(interval, parts, calendar);
        return rolled.isEmpty() ? null : rolled.get(rolled.size() - 1);
    }
}
