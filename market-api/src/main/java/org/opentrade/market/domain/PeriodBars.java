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
        long start = Long.MIN_VALUE;
        long end = Long.MIN_VALUE;
        long sourceVersion = -1;
        long liveTime = Long.MIN_VALUE;
        /** The closed source bars of the period before the live one's time; null when not computed. */
        BarBuilder closed;
    }

    public PeriodBars(MarketCalendar calendar) {
        this.calendar = calendar;
    }

    /** The start of the bar of {@code interval} containing {@code time} (as {@link MarketCalendar#barStart}). */
    public long start(Interval interval, long time) {
        return period(interval, time).start;
    }

    /** The start of the bar after the one of {@code interval} containing {@code time}. */
    public long end(Interval interval, long time) {
        return period(interval, time).end;
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
            BarBuilder b = new BarBuilder(p.start);
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
            p.start = calendar.barStart(interval, time);
            p.end = calendar.nextBarStart(interval, p.start);
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
