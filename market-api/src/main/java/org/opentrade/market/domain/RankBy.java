package org.opentrade.market.domain;

import java.util.Optional;

/** What {@code GET /v1/market/rankings?by=} orders by, with its wire name. */
public enum RankBy {
    CHANGE_PCT("change_pct"), VOLUME("volume"), TURNOVER("turnover"), AMPLITUDE("amplitude"),
    TURNOVER_RATE("turnover_rate");

    private final String wireName;

    RankBy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The ranking with this wire name, exactly (lower case); empty for anything else. */
    public static Optional<RankBy> parse(String wireName) {
        if (wireName != null) {
            for (RankBy r : values()) {
                if (r.wireName.equals(wireName)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** The value ranked: the figure as shown (change and amplitude in basis points of a percent). */
    long valueOf(DayStats s) {
        return switch (this) {
            case CHANGE_PCT -> s.changeBp();
            case VOLUME -> s.volume();
            case TURNOVER -> s.turnover();
            case AMPLITUDE -> s.amplitudeBp();
            case TURNOVER_RATE -> s.turnoverRateBp();
        };
    }
}
