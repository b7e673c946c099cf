package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rollups beyond those of LiveSymbolBarsTest: merging, refusals, month and week edges from 1d bars. */
class KlineRollupTest {
    private static final String S = Reference.SYMBOL;

    private static Bar d1(LocalDate day, long close) {
        return new Bar(S, Interval.D1, Reference.ms(day.atStartOfDay()), close - 1, close + 2, close - 3, close, 100,
                close * 100, 3, 40);
    }

    @Test
    void weeksStartOnMondayAndMonthsOnTheFirstFromDailyBars() {
        MarketCalendar cal = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0));
        // Thu 29 Jan, Fri 30 Jan, Mon 2 Feb, Tue 3 Feb 2026
        List<Bar> days = List.of(d1(LocalDate.of(2026, 1, 29), 100), d1(LocalDate.of(2026, 1, 30), 110),
                d1(LocalDate.of(2026, 2, 2), 90), d1(LocalDate.of(2026, 2, 3), 95));
        List<Bar> weeks = KlineRollup.rollup(Interval.W1, days, cal);
        assertEquals(List.of(Reference.ms(LocalDateTime.of(2026, 1, 26, 0, 0)), Reference.ms(LocalDateTime.of(2026, 2, 2, 0, 0))),
                weeks.stream().map(Bar::time).toList());
        assertEquals(new Bar(S, Interval.W1, weeks.get(0).time(), 99, 112, 97, 110, 200, 21_000, 6, 80), weeks.get(0));
        List<Bar> months = KlineRollup.rollup(Interval.MN1, days, cal);
        assertEquals(new Bar(S, Interval.MN1, Reference.ms(LocalDateTime.of(2026, 2, 1, 0, 0)), 89, 97, 87, 95, 200,
                18_500, 6, 80), months.get(1));
    }

    @Test
    void mergeKeepsTimeOrderAndTheNewerBarOfASharedTime() {
        Bar a = d1(LocalDate.of(2026, 1, 29), 100);
        Bar b = d1(LocalDate.of(2026, 1, 30), 110);
        Bar bNew = d1(LocalDate.of(2026, 1, 30), 111);
        Bar c = d1(LocalDate.of(2026, 2, 2), 90);
        assertEquals(List.of(a, bNew, c), KlineRollup.merge(List.of(a, b), List.of(bNew, c)));
        assertEquals(List.of(a, b, c), KlineRollup.merge(List.of(c, a), List.of(b)));
        assertEquals(List.of(), KlineRollup.merge(List.of(), List.of()));
    }

    @Test
    void rollupRefusesCoarseSourcesMixedBarsAndDisorder() {
        MarketCalendar cal = MarketCalendar.shanghaiContinuous();
        Bar a = d1(LocalDate.of(2026, 1, 29), 100);
        Bar b = d1(LocalDate.of(2026, 1, 30), 110);
        assertThrows(IllegalArgumentException.class, () -> KlineRollup.rollup(Interval.M5, List.of(a), cal));
        assertThrows(IllegalArgumentException.class, () -> KlineRollup.rollup(Interval.W1, List.of(b, a), cal));
        Bar other = new Bar("000001.SZ", Interval.D1, b.time() + 86_400_000L, 1, 1, 1, 1, 1, 1, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> KlineRollup.rollup(Interval.W1, List.of(a, other), cal));
        assertEquals(List.of(a, b), KlineRollup.rollup(Interval.D1, List.of(a, b), cal));
        assertEquals(List.of(), KlineRollup.rollup(Interval.MN1, List.of(), cal));
    }
}
