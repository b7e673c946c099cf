package org.opentrade.exchange.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * The A-share trading day in Asia/Shanghai: opening call auction 09:15–09:25 (uncrossed at the
 * maximum-volume price), pre-open 09:25–09:30, continuous 09:30–11:30 and 13:00–15:00, closed on
 * weekends and on the configured holidays. The day ends at 15:00.
 */
public final class AShareCalendar implements TradingCalendar {
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalTime AUCTION = LocalTime.of(9, 15);
    private static final LocalTime PRE_OPEN = LocalTime.of(9, 25);
    private static final LocalTime MORNING = LocalTime.of(9, 30);
    private static final LocalTime LUNCH = LocalTime.of(11, 30);
    private static final LocalTime AFTERNOON = LocalTime.of(13, 0);
    private static final LocalTime CLOSE = LocalTime.of(15, 0);
    private static final LocalTime[] BOUNDARIES = {AUCTION, PRE_OPEN, MORNING, LUNCH, AFTERNOON, CLOSE};

    private final Set<LocalDate> holidays;

    public AShareCalendar(Set<LocalDate> holidays) {
        this.holidays = Set.copyOf(holidays);
    }

    public boolean isTradingDay(LocalDate d) {
        DayOfWeek w = d.getDayOfWeek();
        return w != DayOfWeek.SATURDAY && w != DayOfWeek.SUNDAY && !holidays.contains(d);
    }

    @Override
    public SessionPhase phaseAt(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZONE);
        if (!isTradingDay(t.toLocalDate())) {
            return SessionPhase.CLOSED;
        }
        LocalTime lt = t.toLocalTime();
        if (lt.isBefore(AUCTION)) {
            return SessionPhase.CLOSED;
        }
        if (lt.isBefore(PRE_OPEN)) {
            return SessionPhase.CALL_AUCTION;
        }
        if (lt.isBefore(MORNING)) {
            return SessionPhase.PRE_OPEN;
        }
        if (lt.isBefore(LUNCH)) {
            return SessionPhase.CONTINUOUS;
        }
        if (lt.isBefore(AFTERNOON)) {
            return SessionPhase.BREAK;
        }
        if (lt.isBefore(CLOSE)) {
            return SessionPhase.CONTINUOUS;
        }
        return SessionPhase.CLOSED;
    }

    @Override
    public long nextBoundaryAfter(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZONE);
        LocalDate d = t.toLocalDate();
        for (int day = 0; day < 400; day++, d = d.plusDays(1)) {
            if (!isTradingDay(d)) {
                continue;
            }
            for (LocalTime b : BOUNDARIES) {
                ZonedDateTime candidate = d.atTime(b).atZone(ZONE);
                if (candidate.isAfter(t)) {
                    return candidate.toInstant().toEpochMilli();
                }
            }
        }
        throw new IllegalStateException("no trading day within 400 days of " + t);
    }

    @Override
    public boolean isTradingDayEnd(long boundary) {
        return Instant.ofEpochMilli(boundary).atZone(ZONE).toLocalTime().equals(CLOSE);
    }
}
