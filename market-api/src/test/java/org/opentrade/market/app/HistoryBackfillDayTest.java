package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.MarketCalendar;

/** The synthetic backfill ends before today's trading day, whatever the 24×7 calendar's day end. */
class HistoryBackfillDayTest {
    private static final ZoneId SH = ZoneId.of("Asia/Shanghai");
    private static final Instrument INSTRUMENT =
            new Instrument("600000.SH", "Test", "SH_MAIN", 28_150, 1, 100, 1_000_000, 10, 2_000_000, 45);

    private static List<Bar> backfill(MarketCalendar calendar, long now) {
        InMemoryTimeSeriesStore store = new InMemoryTimeSeriesStore();
        MarketApiConfig config = MarketApiConfig.load(ConfigLoader.of(Map.of(), Map.of())).withBackfillDays(3);
        HistoryLoader.backfill(store, List.of(INSTRUMENT), calendar, config, now);
        return store.bars(INSTRUMENT.symbol(), Interval.M1, 0, Long.MAX_VALUE, 100_000);
    }

    private static long at(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), SH).toInstant().toEpochMilli();
    }

    /**
     * With the day ending at 03:00, Monday 15:55 is in Tuesday's trading day, which started Monday 03:00: Monday's
     * sessions would fall in it. The history ends with Friday's, and its last minute closes at the previous close.
     */
    @Test
    void aDayEndBeforeTheSessionsEndsTheHistoryBeforeTodaysTradingDayStarts() {
        MarketCalendar calendar = new MarketCalendar(MarketCalendar.Kind.CONTINUOUS, SH, LocalTime.of(3, 0));
        long now = at("2026-12-07T15:55:00"); // a Monday
        long todayStarts = calendar.tradingDayStart(calendar.localDay(now));
        List<Bar> minutes = backfill(calendar, now);
        assertFalse(minutes.isEmpty());
        Bar last = minutes.get(minutes.size() - 1);
        assertTrue(minutes.stream().allMatch(b -> b.time() + 60_000 <= todayStarts),
                "no synthetic minute in today's trading day; the last starts at " + last.time());
        assertEquals(LocalDate.of(2026, 12, 4), HistoryLoader.lastBackfilledDay(calendar, now), "Friday");
        assertEquals(INSTRUMENT.prevClose(), last.close(), "the history joins the previous close");
    }

    /** With the shipped 15:00, the history ends with the day before (Monday's sessions on a Tuesday). */
    @Test
    void theShippedDayEndEndsTheHistoryWithTheDayBefore() {
        MarketCalendar calendar = new MarketCalendar(MarketCalendar.Kind.CONTINUOUS, SH, LocalTime.of(15, 0));
        assertEquals(LocalDate.of(2026, 12, 7), HistoryLoader.lastBackfilledDay(calendar, at("2026-12-08T10:00:00")));
        // After 15:00 on Tuesday, Wednesday's trading day runs: Tuesday's sessions are history.
        assertEquals(LocalDate.of(2026, 12, 8), HistoryLoader.lastBackfilledDay(calendar, at("2026-12-08T15:30:00")));
        MarketCalendar aShare = new MarketCalendar(MarketCalendar.Kind.A_SHARE, SH, LocalTime.of(15, 0));
        assertEquals(LocalDate.of(2026, 12, 4), HistoryLoader.lastBackfilledDay(aShare, at("2026-12-07T10:00:00")));
    }

    /**
     * A day end inside the sessions' hours (here 12:00) used to split every generated day over two trading days:
     * 09:30-11:30 in one 1d bar, 13:00-15:00 in the next, so 3 backfilled days came back as four 1d bars of odd
     * sizes. The sessions now end at the day end (06:30-08:30 and 10:00-12:00): each day is one trading day of
     * 240 minutes, and yesterday's is the last (it ends as today's trading day starts).
     */
    @Test
    void aDayEndInsideTheSessionsKeepsEachGeneratedDayInOneTradingDay() {
        for (LocalTime dayEnd : new LocalTime[] {LocalTime.of(9, 31), LocalTime.of(12, 0), LocalTime.of(14, 59)}) {
            MarketCalendar calendar = new MarketCalendar(MarketCalendar.Kind.CONTINUOUS, SH, dayEnd);
            long now = at("2026-12-08T16:00:00"); // a Tuesday, in Wednesday's trading day
            List<Bar> minutes = backfill(calendar, now);
            assertEquals(3 * 240, minutes.size(), "day end " + dayEnd);
            Map<LocalDate, Long> perDay = minutes.stream().collect(java.util.stream.Collectors.groupingBy(
                    b -> calendar.tradingDay(b.time()), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
            assertEquals(Map.of(LocalDate.of(2026, 12, 4), 240L, LocalDate.of(2026, 12, 7), 240L,
                    LocalDate.of(2026, 12, 8), 240L), perDay, "day end " + dayEnd);
            Bar last = minutes.get(minutes.size() - 1);
            assertEquals(at("2026-12-08T" + dayEnd) - 60_000, last.time(), "the last minute ends at the day end");
            assertEquals(at("2026-12-08T" + dayEnd.minusHours(5).minusMinutes(30)), minutes.get(2 * 240).time(),
                    "the day's first minute, 5.5 h before");
            assertTrue(last.time() + 60_000 <= calendar.tradingDayStart(calendar.localDay(now)));
        }
        // Outside those hours the sessions stay at 09:30-15:00 local.
        MarketCalendar early = new MarketCalendar(MarketCalendar.Kind.CONTINUOUS, SH, LocalTime.of(9, 30));
        assertEquals(LocalTime.of(15, 0), org.opentrade.market.domain.SyntheticHistory.sessionsEnd(early));
        MarketCalendar aShare = new MarketCalendar(MarketCalendar.Kind.A_SHARE, SH, LocalTime.of(12, 0));
        assertEquals(LocalTime.of(15, 0), org.opentrade.market.domain.SyntheticHistory.sessionsEnd(aShare));
    }
}
