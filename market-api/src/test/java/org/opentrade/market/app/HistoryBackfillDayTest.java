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
}
