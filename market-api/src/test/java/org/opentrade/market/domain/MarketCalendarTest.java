package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class MarketCalendarTest {

    @Test
    void sessionMinutesAreTheAShareSessionsOrTheWholeContinuousDay() {
        LocalDate day = LocalDate.of(2026, 2, 2);
        MarketCalendar aShare = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0));
        assertArrayEquals(Reference.sessionMinutes(day, false).stream().mapToLong(Long::longValue).toArray(),
                aShare.sessionMinuteStarts(day));
        assertArrayEquals(Reference.sessionMinutes(day, true).stream().mapToLong(Long::longValue).toArray(),
                MarketCalendar.shanghaiContinuous().sessionMinuteStarts(day));
    }

    @Test
    void aDayEndThatIsNotAWholeMinuteIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new MarketCalendar(MarketCalendar.Kind.CONTINUOUS, Reference.SH, LocalTime.of(15, 0, 30)));
        assertThrows(IllegalArgumentException.class,
                () -> new MarketCalendar(null, Reference.SH, LocalTime.of(15, 0)));
    }

    private static long at(int hour, int minute) {
        return Reference.ms(LocalDate.of(2026, 12, 4).atTime(hour, minute));
    }

    /** {bar time, period start, period end, end of its trading minutes} of the bar holding {@code time}. */
    private static long[] bar(MarketCalendar cal, Interval iv, long time) {
        long start = cal.barStart(iv, time);
        return new long[] {start, cal.barSpanStart(iv, time), cal.nextBarStart(iv, start), cal.barTradingEnd(iv, start)};
    }

    @Test
    void aShareHourBarsStartAtEachSessionsOpenAndTakeInTheTimesAroundIt() {
        MarketCalendar aShare = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0));
        long midnight = Reference.ms(LocalDate.of(2026, 12, 4).atStartOfDay());
        long nextMidnight = Reference.ms(LocalDate.of(2026, 12, 5).atStartOfDay());
        long[] first = {at(9, 30), midnight, at(10, 30), at(10, 30)};
        assertArrayEquals(first, bar(aShare, Interval.M60, at(9, 25)), "the opening auction");
        assertArrayEquals(first, bar(aShare, Interval.M60, at(10, 29) + 59_999));
        long[] second = {at(10, 30), at(10, 30), at(13, 0), at(11, 30)};
        assertArrayEquals(second, bar(aShare, Interval.M60, at(10, 30)));
        assertArrayEquals(second, bar(aShare, Interval.M60, at(11, 29)));
        assertArrayEquals(second, bar(aShare, Interval.M60, at(12, 59)), "the lunch break: the morning's last");
        assertArrayEquals(new long[] {at(13, 0), at(13, 0), at(14, 0), at(14, 0)}, bar(aShare, Interval.M60, at(13, 0)));
        long[] last = {at(14, 0), at(14, 0), nextMidnight, at(15, 0)};
        assertArrayEquals(last, bar(aShare, Interval.M60, at(14, 59)));
        assertArrayEquals(last, bar(aShare, Interval.M60, at(15, 0)), "after the close: the afternoon's last");
        // The shorter intervals fall on the clock in the sessions, the auction in the first bar of the morning.
        assertArrayEquals(new long[] {at(9, 30), midnight, at(10, 0), at(10, 0)}, bar(aShare, Interval.M30, at(9, 25)));
        assertArrayEquals(new long[] {at(9, 30), midnight, at(9, 35), at(9, 35)}, bar(aShare, Interval.M5, at(9, 25)));
        assertArrayEquals(new long[] {at(11, 15), at(11, 15), at(13, 0), at(11, 30)}, bar(aShare, Interval.M15, at(11, 20)));
        assertArrayEquals(new long[] {at(9, 25), at(9, 25), at(9, 26), at(9, 26)}, bar(aShare, Interval.M1, at(9, 25)));
        // The 24×7 calendar keeps the clock's hours.
        assertArrayEquals(new long[] {at(9, 0), at(9, 0), at(10, 0), at(10, 0)},
                bar(MarketCalendar.shanghaiContinuous(), Interval.M60, at(9, 45)));
    }
}
