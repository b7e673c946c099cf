package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Rankings (涨跌幅榜, 成交量榜 …) over the day statistics of a universe. Pure function; any thread.
 * Cost O(n log n) per call: fine for a few thousand symbols.
 */
public final class Rankings {
    private Rankings() {
    }

    /**
     * The first {@code limit} of {@code stats} ordered by {@code by} (descending or ascending); ties
     * are broken by symbol ascending in both directions, so the order is deterministic. Change and
     * amplitude rank by the value as shown (basis points of a percent), so two symbols showing the
     * same percentage tie. Symbols without a trade today rank with their zero values.
     *
     * @throws IllegalArgumentException when {@code limit} is negative
     */
    public static List<DayStats> rank(Collection<DayStats> stats, RankBy by, boolean descending, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        Comparator<DayStats> value = Comparator.comparingLong(by::valueOf);
        if (descending) {
            value = value.reversed();
        }
        List<DayStats> sorted = new ArrayList<>(stats);
        sorted.sort(value.thenComparing(DayStats::symbol));
        return List.copyOf(sorted.subList(0, Math.min(limit, sorted.size())));
    }
}
