package org.opentrade.gateway.domain;

import java.util.List;

/**
 * One page of a usage query: whole minutes of rows, oldest first, and the minute the next page starts at.
 *
 * @param rows       sorted by minute, then key, then route; every row of each minute it holds
 * @param nextMinute the epoch minute the next page starts at, or -1 when the window has no more rows
 */
public record UsagePage(List<UsageRow> rows, long nextMinute) {
    public static final long NO_MORE = -1;

    public UsagePage {
        rows = List.copyOf(rows);
    }

    /**
     * The page of {@code sorted} that ends after the last whole minute keeping it at most {@code maxRows} rows; the
     * first minute is always taken, whatever its rows (one minute holds at most keys × routes rows, so a page is
     * never empty and a query always moves on).
     *
     * @param sorted      every row of the minutes it holds, sorted by minute, then key, then route
     * @param firstUnread the first minute of the window whose rows the caller did not read into {@code sorted}, or
     *                    {@link #NO_MORE} when it read all of them
     */
    public static UsagePage cut(List<UsageRow> sorted, int maxRows, long firstUnread) {
        int end = 0;
        while (end < sorted.size()) {
            long minute = sorted.get(end).epochMinute();
            int next = end;
            while (next < sorted.size() && sorted.get(next).epochMinute() == minute) {
                next++;
            }
            if (end > 0 && next > maxRows) {
                return new UsagePage(sorted.subList(0, end), minute);
            }
            end = next;
        }
        return new UsagePage(sorted, firstUnread);
    }
}
