package org.opentrade.exchange.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Whether the exchange matches orders as they come at a moment, from the calendar it announces
 * ({@link Universe#calendar()}): always on the 24×7 {@code continuous} calendar; on the {@code a-share}
 * one 09:30–11:30 and 13:00–15:00 local time on weekdays (the opening call auction and pre-open collect
 * orders without matching, so a crossed book is their normal state). Mirrors the sandbox exchange's
 * A-share calendar; holidays are not known here, and have no orders. Pure and thread-safe.
 */
public final class MatchingHours {
    private static final LocalTime MORNING = LocalTime.of(9, 30);
    private static final LocalTime LUNCH = LocalTime.of(11, 30);
    private static final LocalTime AFTERNOON = LocalTime.of(13, 0);
    private static final LocalTime CLOSE = LocalTime.of(15, 0);

    private MatchingHours() {
    }

    /** @param calendar {@code continuous} or {@code a-share}; anything else counts as continuous */
    public static boolean continuousAt(String calendar, ZoneId zone, long epochMillis) {
        if (!"a-share".equals(calendar)) {
            return true;
        }
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        DayOfWeek d = t.getDayOfWeek();
        if (d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY) {
            return false;
        }
        LocalTime lt = t.toLocalTime();
        return !lt.isBefore(MORNING) && lt.isBefore(LUNCH) || !lt.isBefore(AFTERNOON) && lt.isBefore(CLOSE);
    }
}
