package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.exchange.domain.ExchangeScenario.epochMillis;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.SessionPhase;

/** The session schedules as pure functions of time (Asia/Shanghai local times below). */
class TradingCalendarTest {
    private final AShareCalendar ashare = new AShareCalendar(Set.of(LocalDate.of(2024, 3, 6)));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "2024-03-04T00:00, CLOSED", "2024-03-04T09:14:59.999, CLOSED", "2024-03-04T09:15, CALL_AUCTION",
        "2024-03-04T09:24:59.999, CALL_AUCTION", "2024-03-04T09:25, PRE_OPEN", "2024-03-04T09:30, CONTINUOUS",
        "2024-03-04T11:29:59.999, CONTINUOUS", "2024-03-04T11:30, BREAK", "2024-03-04T13:00, CONTINUOUS",
        "2024-03-04T14:59:59.999, CONTINUOUS", "2024-03-04T15:00, CLOSED", "2024-03-04T23:59, CLOSED",
        "2024-03-06T10:00, CLOSED", "2024-03-09T10:00, CLOSED", "2024-03-10T10:00, CLOSED"})
    void aSharePhases(String at, SessionPhase phase) {
        assertEquals(phase, ashare.phaseAt(epochMillis(at)));
    }

    @ParameterizedTest(name = "after {0} comes {1}")
    @CsvSource({
        "2024-03-04T00:00, 2024-03-04T09:15", "2024-03-04T09:15, 2024-03-04T09:25",
        "2024-03-04T09:26, 2024-03-04T09:30", "2024-03-04T10:00, 2024-03-04T11:30",
        "2024-03-04T12:00, 2024-03-04T13:00", "2024-03-04T13:00, 2024-03-04T15:00",
        "2024-03-04T15:00, 2024-03-05T09:15", "2024-03-05T15:00, 2024-03-07T09:15",
        "2024-03-08T15:00, 2024-03-11T09:15", "2024-03-09T12:00, 2024-03-11T09:15"})
    void aShareBoundariesSkipWeekendsAndHolidays(String after, String next) {
        assertEquals(epochMillis(next), ashare.nextBoundaryAfter(epochMillis(after)));
    }

    @Test
    void onlyTheCloseEndsAnAShareTradingDay() {
        assertTrue(ashare.isTradingDayEnd(epochMillis("2024-03-04T15:00")));
        assertFalse(ashare.isTradingDayEnd(epochMillis("2024-03-04T11:30")));
        assertFalse(ashare.isTradingDayEnd(epochMillis("2024-03-04T09:25")));
        assertFalse(ashare.isTradingDay(LocalDate.of(2024, 3, 6)));
        assertTrue(ashare.isTradingDay(LocalDate.of(2024, 3, 7)));
    }

    @Test
    void continuousCalendarIsAlwaysOpenAndEndsEachDayAtItsDayEnd() {
        ContinuousCalendar c = new ContinuousCalendar(ZoneId.of("UTC"), LocalTime.of(22, 0));
        long t = java.time.Instant.parse("2024-03-09T21:59:59.999Z").toEpochMilli();
        assertEquals(SessionPhase.CONTINUOUS, c.phaseAt(t));
        assertEquals(java.time.Instant.parse("2024-03-09T22:00:00Z").toEpochMilli(), c.nextBoundaryAfter(t));
        assertEquals(java.time.Instant.parse("2024-03-10T22:00:00Z").toEpochMilli(), c.nextBoundaryAfter(t + 1));
        assertTrue(c.isTradingDayEnd(t + 1));
        ContinuousCalendar shanghai = new ContinuousCalendar();
        assertEquals(epochMillis("2024-03-04T15:00"), shanghai.nextBoundaryAfter(epochMillis("2024-03-04T09:00")));
    }
}
