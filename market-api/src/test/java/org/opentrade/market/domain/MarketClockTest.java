package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.SessionClock;
import org.opentrade.exchange.model.SessionPhase;

/** The clock and calendar a trading program reads, on both calendars, around breaks, weekends and holidays. */
class MarketClockTest {
    /** Wed 31 Dec 2025 and Fri 2 Jan 2026 trade; Thu 1 Jan is a holiday, then a weekend. */
    private static final MarketCalendar A_SHARE = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH,
            LocalTime.of(15, 0), Set.of(LocalDate.of(2026, 1, 1)));

    private static long at(String local) {
        return Reference.ms(LocalDateTime.parse(local));
    }

    @Test
    void inTheMorningSessionTheNextCloseIsTheBreakAndTheNextOpenTheAfternoon() {
        SessionClock c = MarketClock.at(A_SHARE, at("2025-12-31T10:00:00"));
        assertEquals(SessionPhase.CONTINUOUS, c.phase());
        assertEquals(SessionPhase.BREAK, c.nextPhase());
        assertEquals(at("2025-12-31T11:30:00"), c.nextPhaseAt());
        assertEquals(at("2025-12-31T11:30:00"), c.nextClose());
        assertEquals(at("2025-12-31T13:00:00"), c.nextOpen());
        assertEquals(at("2025-12-31T15:00:00"), c.tradingDayEndsAt());
    }

    @Test
    void afterTheCloseBeforeAHolidayAndAWeekendTheNextTradingDayIsTheOneAfterThem() {
        SessionClock c = MarketClock.at(A_SHARE, at("2025-12-31T15:00:00"));
        assertEquals(SessionPhase.CLOSED, c.phase());
        assertEquals(SessionPhase.CALL_AUCTION, c.nextPhase());
        assertEquals(at("2026-01-02T09:15:00"), c.nextPhaseAt(), "1 January is a holiday");
        assertEquals(at("2026-01-02T09:30:00"), c.nextOpen());
        assertEquals(at("2026-01-02T11:30:00"), c.nextClose());
        assertEquals(at("2026-01-02T15:00:00"), c.tradingDayEndsAt());
        SessionClock auction = MarketClock.at(A_SHARE, at("2026-01-02T09:20:00"));
        assertEquals(SessionPhase.CALL_AUCTION, auction.phase());
        assertEquals(SessionPhase.PRE_OPEN, auction.nextPhase());
        assertEquals(at("2026-01-02T09:30:00"), auction.nextOpen());
    }

    @Test
    void the24x7CalendarAlwaysMatchesAndOnlyItsTradingDayEnds() {
        SessionClock c = MarketClock.at(MarketCalendar.shanghaiContinuous(), at("2025-12-31T16:00:00"));
        assertEquals(SessionPhase.CONTINUOUS, c.phase());
        assertEquals(null, c.nextPhase());
        assertEquals(-1, c.nextPhaseAt());
        assertEquals(-1, c.nextOpen());
        assertEquals(-1, c.nextClose());
        assertEquals(at("2026-01-01T15:00:00"), c.tradingDayEndsAt());
    }

    @Test
    void theCalendarListsTradingDaysWithTheirSessionsAndLeavesOutHolidaysAndWeekends() {
        List<MarketClock.Day> days = MarketClock.days(A_SHARE, LocalDate.of(2025, 12, 31), LocalDate.of(2026, 1, 5));
        assertEquals(List.of(LocalDate.of(2025, 12, 31), LocalDate.of(2026, 1, 2), LocalDate.of(2026, 1, 5)),
                days.stream().map(MarketClock.Day::date).toList());
        MarketClock.Day friday = days.get(1);
        assertEquals(List.of(
                new MarketClock.Session(SessionPhase.CALL_AUCTION, at("2026-01-02T09:15:00"), at("2026-01-02T09:25:00")),
                new MarketClock.Session(SessionPhase.PRE_OPEN, at("2026-01-02T09:25:00"), at("2026-01-02T09:30:00")),
                new MarketClock.Session(SessionPhase.CONTINUOUS, at("2026-01-02T09:30:00"), at("2026-01-02T11:30:00")),
                new MarketClock.Session(SessionPhase.BREAK, at("2026-01-02T11:30:00"), at("2026-01-02T13:00:00")),
                new MarketClock.Session(SessionPhase.CONTINUOUS, at("2026-01-02T13:00:00"), at("2026-01-02T15:00:00"))),
                friday.sessions());
        assertEquals(at("2026-01-02T09:30:00"), friday.open());
        assertEquals(at("2026-01-02T15:00:00"), friday.close());
    }

    @Test
    void a24x7TradingDayRunsFromThePreviousDaysEndToItsOwn() {
        List<MarketClock.Day> days = MarketClock.days(MarketCalendar.shanghaiContinuous(), LocalDate.of(2026, 1, 3),
                LocalDate.of(2026, 1, 4));
        assertEquals(2, days.size(), "weekends trade");
        assertEquals(List.of(new MarketClock.Session(SessionPhase.CONTINUOUS, at("2026-01-02T15:00:00"),
                at("2026-01-03T15:00:00"))), days.get(0).sessions());
    }

    @Test
    void aRangeRunningBackwardsOrLongerThanAYearIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> MarketClock.days(A_SHARE, LocalDate.of(2026, 1, 5), LocalDate.of(2026, 1, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> MarketClock.days(A_SHARE, LocalDate.of(2026, 1, 1), LocalDate.of(2027, 1, 2)));
        assertEquals(366, MarketClock.days(MarketCalendar.shanghaiContinuous(), LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 12, 31).plusDays(1)).size());
    }
}
