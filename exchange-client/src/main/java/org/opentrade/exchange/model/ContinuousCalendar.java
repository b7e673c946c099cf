package org.opentrade.exchange.model;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The default 24×7 session: always continuous; a trading day ends every day at {@code dayEnd} in
 * {@code zone}, when DAY orders expire and the price band re-centres on the last price.
 */
public final class ContinuousCalendar implements TradingCalendar {
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    public static final LocalTime DEFAULT_DAY_END = LocalTime.of(15, 0);

    private final ZoneId zone;
    private final LocalTime dayEnd;

    public ContinuousCalendar(ZoneId zone, LocalTime dayEnd) {
        this.zone = zone;
        this.dayEnd = dayEnd;
    }

    public ContinuousCalendar() {
        this(DEFAULT_ZONE, DEFAULT_DAY_END);
    }

    @Override
    public SessionPhase phaseAt(long epochMillis) {
        return SessionPhase.CONTINUOUS;
    }

    @Override
    public long nextBoundaryAfter(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        ZonedDateTime end = t.toLocalDate().atTime(dayEnd).atZone(zone);
        if (!end.isAfter(t)) {
            end = t.toLocalDate().plusDays(1).atTime(dayEnd).atZone(zone);
        }
        return end.toInstant().toEpochMilli();
    }

    @Override
    public boolean isTradingDayEnd(long boundary) {
        return true;
    }
}
