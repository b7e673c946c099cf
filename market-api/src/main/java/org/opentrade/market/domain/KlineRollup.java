package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Builds the K-line intervals the store does not keep from the ones it does: 5m/15m/30m/60m (and
 * 1d, for backfills) from 1m bars, 1w and 1M from 1d bars. A target bar's time is
 * {@link MarketCalendar#barStart} of its source bars; open is the first source bar's open, close
 * the last one's close, high/low the extremes, volume/turnover/trades/buyVolume the sums. A period
 * without a source bar has no bar. Pure functions; any thread; O(n).
 */
public final class KlineRollup {
    private KlineRollup() {
    }

    /**
     * Rolls {@code sourceOldestFirst} (one symbol, one interval, strictly increasing times) up to
     * {@code target}. The source must be {@link Interval#M1} (any target) or {@link Interval#D1}
     * (1d, 1w, 1M); a source already of the target interval is returned as is.
     *
     * @throws IllegalArgumentException for mixed symbols or intervals, unordered bars, or a source
     *                                  that cannot make the target (1d into 5m)
     */
    public static List<Bar> rollup(Interval target, List<Bar> sourceOldestFirst, MarketCalendar cal) {
        if (sourceOldestFirst.isEmpty()) {
            return List.of();
        }
        Bar first = sourceOldestFirst.get(0);
        Interval source = first.interval();
        if (source == target) {
            check(sourceOldestFirst, first);
            return List.copyOf(sourceOldestFirst);
        }
        if (source != Interval.M1 && !(source == Interval.D1 && !target.isIntraday())) {
            throw new IllegalArgumentException("cannot roll " + source.code() + " bars up to " + target.code());
        }
        check(sourceOldestFirst, first);
        List<Bar> out = new ArrayList<>();
        BarBuilder current = null;
        for (Bar b : sourceOldestFirst) {
            long start = cal.barStart(target, b.time());
            if (current == null || current.time != start) {
                if (current != null) {
                    out.add(current.build(first.symbol(), target));
                }
                current = new BarBuilder(start);
            }
            current.addBar(b);
        }
        out.add(current.build(first.symbol(), target));
        return out;
    }

    private static void check(List<Bar> bars, Bar first) {
        long previous = Long.MIN_VALUE;
        for (Bar b : bars) {
            if (b.interval() != first.interval() || !b.symbol().equals(first.symbol())) {
                throw new IllegalArgumentException("bars to roll up must be of one symbol and interval: " + first
                        + " and " + b);
            }
            if (b.time() <= previous) {
                throw new IllegalArgumentException("bars to roll up must be in increasing time order at " + b);
            }
            previous = b.time();
        }
    }

    /**
     * Merges two bar lists of one symbol and interval by time, oldest first; where both have a bar
     * of the same time, {@code newer}'s wins (the live cache over the store).
     */
    public static List<Bar> merge(List<Bar> stored, List<Bar> newer) {
        TreeMap<Long, Bar> byTime = new TreeMap<>();
        for (Bar b : stored) {
            byTime.put(b.time(), b);
        }
        for (Bar b : newer) {
            byTime.put(b.time(), b);
        }
        return List.copyOf(byTime.values());
    }
}
