package org.opentrade.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** {@link DayEnds}: at every minute of the day a day end six hours away or more, never inside 09:30-15:00. */
class DayEndsTest {
    @Test
    void everyMinuteOfTheDayGetsADayEndSixHoursAwayOutsideTheSyntheticSessions() {
        for (int minute = 0; minute < 24 * 60; minute++) {
            LocalTime now = LocalTime.MIDNIGHT.plusMinutes(minute);
            LocalTime end = DayEnds.awayFrom(now);
            long apart = Math.abs(Duration.between(now, end).toMinutes());
            assertTrue(Math.min(apart, 24 * 60 - apart) >= 6 * 60, now + " -> " + end);
            assertTrue(!end.isAfter(LocalTime.of(9, 30)) || !end.isBefore(LocalTime.of(15, 0)), now + " -> " + end);
        }
        assertEquals(LocalTime.of(3, 0), DayEnds.awayFrom(LocalTime.of(14, 14)), "a run at 14:14 Shanghai time");
        assertEquals(LocalTime.of(15, 0), DayEnds.awayFrom(LocalTime.of(22, 14)), "a run at 22:14 Shanghai time");
    }
}
