package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A K-line request split where the data lives: {@link #plan} runs on the market context and copies
 * the in-memory part (recent closed bars plus the live bar); when that does not reach back far
 * enough, the caller reads the older part from the store (off the event loop) and {@link #finish}
 * merges, rolls up to the asked interval and pages. Only 1m and 1d bars exist as such; 5m–60m are
 * rolled up from 1m, 1w and 1M from 1d.
 *
 * <p>Paging back in time: {@code nextCursor} is the start of the oldest returned bar when older bars
 * may exist; the next page asks with {@code end = nextCursor}.
 */
public final class KlineQuery {
    /** Most source bars one request reads (a limit of 10 000 60m bars would otherwise read 600 000 1m bars). */
    public static final int MAX_SOURCE_BARS = 300_000;

    /** What {@link #plan} found in memory and what is left for the store. */
    /**
     * @param start       the asked start: bars whose time is before it are not answered
     * @param sourceStart where the source bars are read from: {@code start}, or earlier when the bar at
     *                    {@code start} takes in time before it ({@link MarketCalendar#barSpanStart}: the
     *                    A-share opening auction), so that bar is whole; never before 1970 when {@code start}
     *                    is not (no start given is 0, whose A-share bar's period begins at local midnight, 8 h earlier)
     */
    public record Plan(Interval interval, Interval source, long start, long sourceStart, long end, int limit,
                       int sourceLimit, List<Bar> memory, boolean needStore, long storeEnd) {
        /** How many source bars to read from the store. */
        public int storeLimit() {
            return Math.max(0, sourceLimit - memory.size());
        }
    }

    /** One page of bars, oldest first; {@code nextCursor} null when there is nothing older. */
    public record Page(List<Bar> bars, Long nextCursor) {
    }

    private KlineQuery() {
    }

    private static int factor(Interval iv) {
        return switch (iv) {
            case M1, D1 -> 1;
            case W1 -> 7;
            case MN1 -> 31;
            default -> iv.minutes() + 1; // an A-share session's first bar also holds the 09:25 auction's minute
        };
    }

    /** On the market context: the in-memory part of {@code [start, end)}. */
    public static Plan plan(BarCache closed, Bar live, Interval interval, long start, long end, int limit,
                            MarketCalendar calendar) {
        Interval source = interval.isIntraday() ? Interval.M1 : Interval.D1;
        int sourceLimit = (int) Math.min(MAX_SOURCE_BARS, (long) limit * factor(interval));
        long from = interval.isIntraday() && calendar.barStart(interval, start) >= start
                ? Math.max(Math.min(start, 0), Math.min(start, calendar.barSpanStart(interval, start))) : start;
        List<Bar> memory = closed.range(from, end, sourceLimit);
        if (live != null && live.time() >= from && live.time() < end) {
            if (!memory.isEmpty() && memory.get(memory.size() - 1).time() == live.time()) {
                memory.set(memory.size() - 1, live);
            } else {
                memory.add(live);
                if (memory.size() > sourceLimit) {
                    memory.remove(0);
                }
            }
        }
        long cacheOldest = closed.oldestTime();
        boolean needStore = memory.size() < sourceLimit && from < cacheOldest;
        long storeEnd = Math.min(end, cacheOldest);
        return new Plan(interval, source, start, from, end, limit, sourceLimit, memory, needStore, storeEnd);
    }

    /** Any thread: merges the stored part (oldest first, all before the memory part) and pages. */
    public static Page finish(Plan plan, List<Bar> stored, MarketCalendar calendar) {
        List<Bar> source = new ArrayList<>(stored.size() + plan.memory().size());
        source.addAll(stored);
        source.addAll(plan.memory());
        if (source.size() > plan.sourceLimit()) {
            source = source.subList(source.size() - plan.sourceLimit(), source.size());
        }
        boolean truncated = source.size() >= plan.sourceLimit();
        List<Bar> bars = plan.interval() == plan.source() ? new ArrayList<>(source)
                : new ArrayList<>(KlineRollup.rollup(plan.interval(), source, calendar));
        if (truncated && plan.interval() != plan.source() && bars.size() > 1
                && oldestMayBeCut(plan, source.get(0).time(), calendar)) {
            bars.remove(0);
        }
        // A start inside a bar: that bar starts before it and would be rolled up from part of its minutes only. A bar
        // starting at or after the end: source bars before the end can roll up into it (an A-share 09:25 auction
        // minute into the 09:30 bar, asked with an end from 09:26 to 09:30), but it is not a bar of [start, end).
        bars.removeIf(b -> b.time() < plan.start() || b.time() >= plan.end());
        if (bars.size() > plan.limit()) {
            bars = new ArrayList<>(bars.subList(bars.size() - plan.limit(), bars.size()));
        }
        // The next page ends where the oldest bar's period starts, which is before its time for an A-share morning's
        // first bar: ending at its time would answer its auction minute again as a bar of the same time.
        long cursor = bars.isEmpty() ? Long.MIN_VALUE : calendar.barSpanStart(plan.interval(), bars.get(0).time());
        boolean more = (bars.size() == plan.limit() || truncated) && cursor > plan.start();
        return new Page(bars, more ? cursor : null);
    }

    /**
     * Whether the oldest rolled-up bar may lack source bars that the source limit left out: only when its
     * oldest source bar is not where the bar (or the asked range) starts, since the left-out bars are all
     * older than it. A bar whose first source bar sits on its start is complete and kept (dropping it too
     * gave short pages for windows aligned to the interval). Pages stay full: {@code limit × factor} source
     * bars (unless {@link #MAX_SOURCE_BARS} caps them), at most {@code factor} per bar, cover at least
     * {@code limit} bars, and at least {@code limit + 1} when the oldest one is cut short.
     */
    private static boolean oldestMayBeCut(Plan plan, long oldestSourceTime, MarketCalendar calendar) {
        long periodStart = calendar.barSpanStart(plan.interval(), oldestSourceTime);
        return oldestSourceTime > Math.max(periodStart, plan.sourceStart());
    }
}
