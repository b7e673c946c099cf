package org.opentrade.market.domain;

import java.util.Optional;

/**
 * K-line intervals of docs/contracts.md. Intraday intervals ({@link #isIntraday()}) are whole minutes of
 * the exchange's local clock (Asia/Shanghai); 1d is a trading day, 1w starts on Monday, 1M on the
 * first of the month (see {@link MarketCalendar#barStart}).
 */
public enum Interval {
    M1("1m", 1), M5("5m", 5), M15("15m", 15), M30("30m", 30), M60("60m", 60), D1("1d", 0), W1("1w", 0), MN1("1M", 0);

    private final String code;
    private final int minutes;

    Interval(String code, int minutes) {
        this.code = code;
        this.minutes = minutes;
    }

    /** The wire name: {@code 1m 5m 15m 30m 60m 1d 1w 1M} (case matters: 1m is a minute, 1M a month). */
    public String code() {
        return code;
    }

    /** Length in minutes for intraday intervals; 0 for 1d, 1w, 1M. */
    public int minutes() {
        return minutes;
    }

    public boolean isIntraday() {
        return minutes > 0;
    }

    /** The interval with this wire name, exactly (no case folding: {@code 1m} ≠ {@code 1M}). */
    public static Optional<Interval> parse(String code) {
        if (code != null) {
            for (Interval i : values()) {
                if (i.code.equals(code)) {
                    return Optional.of(i);
                }
            }
        }
        return Optional.empty();
    }
}
