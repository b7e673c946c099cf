package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PeriodBars} against the plain computation it replaces: the period's closed bars read from the
 * cache with the live bar in place of the one of its time, rolled up by {@link KlineRollup}, at every
 * step of a seeded random market (trades moving the live bar, minutes and days closing into the caches,
 * a closed bar re-stored), across session, day, week and month edges.
 */
class PeriodBarsTest {
    private static final String SYMBOL = "600000.SH";
    private static final long MINUTE = 60_000;

    @Test
    void everyIntervalsBarEqualsTheRollupOfItsClosedBarsAndTheLiveOneAtEveryStep() {
        MarketCalendar cal = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0));
        PeriodBars periods = new PeriodBars(cal);
        BarCache minutes = new BarCache(2_000);
        BarCache days = new BarCache(300);
        SplittableRandom random = new SplittableRandom(42);
        LocalDate day = LocalDate.of(2026, 1, 26); // a Monday; the run crosses into February
        int checked = 0;
        for (int d = 0; d < 12; d++, day = day.plusDays(1)) {
            long[] sessionMinutes = cal.sessionMinuteStarts(day);
            if (random.nextBoolean()) { // the opening call auction's minute, which the first bar of the morning takes in
                long[] withAuction = new long[sessionMinutes.length + 1];
                withAuction[0] = sessionMinutes[0] - 5 * MINUTE;
                System.arraycopy(sessionMinutes, 0, withAuction, 1, sessionMinutes.length);
                sessionMinutes = withAuction;
            }
            Bar liveDay = null;
            for (int m = 0; m < sessionMinutes.length; m += 1 + random.nextInt(7)) {
                Bar liveMinute = null;
                int trades = 1 + random.nextInt(4);
                for (int t = 0; t < trades; t++) {
                    long price = 1_000 + random.nextInt(50);
                    long qty = 100L * (1 + random.nextInt(5));
                    liveMinute = add(liveMinute, Interval.M1, sessionMinutes[m], price, qty);
                    liveDay = add(liveDay, Interval.D1, cal.barStart(Interval.D1, sessionMinutes[m]), price, qty);
                    if (random.nextInt(8) == 0) {
                        // A closed bar stored again while the live ones stay (an import): the rollups follow.
                        restoreNewest(minutes);
                        restoreNewest(days);
                    }
                    for (Interval iv : Interval.values()) {
                        boolean intraday = iv.isIntraday();
                        Bar live = intraday ? liveMinute : liveDay;
                        BarCache source = intraday ? minutes : days;
                        assertEquals(reference(cal, iv, live.time(), source, live),
                                periods.bar(iv, live.time(), source, live), iv + " at " + live.time());
                        checked++;
                    }
                    assertEquals(cal.nextBarStart(Interval.M30, cal.barStart(Interval.M30, liveMinute.time())),
                            periods.end(Interval.M30, liveMinute.time()));
                }
                minutes.add(liveMinute);
                // The minute just closed, asked for with no live bar of its period yet.
                for (Interval iv : new Interval[] {Interval.M5, Interval.M60}) {
                    assertEquals(reference(cal, iv, liveMinute.time(), minutes, null),
                            periods.bar(iv, liveMinute.time(), minutes, null));
                }
            }
            days.add(liveDay);
        }
        assertEquals(true, checked > 5_000, "steps checked: " + checked);
    }

    @Test
    void theLiveBarIsTheBarOfItsOwnIntervalAndAnEmptyPeriodHasNone() {
        MarketCalendar cal = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0));
        PeriodBars periods = new PeriodBars(cal);
        long t = cal.sessionMinuteStarts(LocalDate.of(2026, 3, 2))[10];
        Bar live = add(null, Interval.M1, t, 1_000, 100);
        assertSame(live, periods.bar(Interval.M1, t, new BarCache(10), live));
        assertNull(periods.bar(Interval.M5, t, new BarCache(10), null));
    }

    @Test
    void aBarIsFinalWithItsLastTradingMinuteNotAtTheEndOfItsPeriod() {
        PeriodBars aShare = new PeriodBars(new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0)));
        java.util.function.LongUnaryOperator at = hm -> Reference.ms(LocalDate.of(2026, 12, 4).atTime((int) hm / 100,
                (int) hm % 100));
        for (long minute : new long[] {925, 930, 1028, 1030, 1128, 1300, 1358, 1400, 1458}) {
            assertFalse(aShare.lastMinuteOf(Interval.M60, at.applyAsLong(minute)), "60m, " + minute);
        }
        for (long minute : new long[] {1029, 1129, 1359, 1459}) {
            assertTrue(aShare.lastMinuteOf(Interval.M60, at.applyAsLong(minute)), "60m, " + minute);
        }
        assertTrue(aShare.lastMinuteOf(Interval.M30, at.applyAsLong(1129)));
        assertFalse(aShare.lastMinuteOf(Interval.M5, at.applyAsLong(925)), "the auction's minute opens the first bar");
        assertTrue(aShare.lastMinuteOf(Interval.M5, at.applyAsLong(934)));
        PeriodBars continuous = new PeriodBars(MarketCalendar.shanghaiContinuous());
        assertTrue(continuous.lastMinuteOf(Interval.M60, at.applyAsLong(959)));
        assertFalse(continuous.lastMinuteOf(Interval.M60, at.applyAsLong(1029)));
    }

    private static Bar add(Bar bar, Interval iv, long time, long price, long qty) {
        if (bar == null) {
            return new Bar(SYMBOL, iv, time, price, price, price, price, qty, price * qty, 1, qty);
        }
        return new Bar(SYMBOL, iv, time, bar.open(), Math.max(bar.high(), price), Math.min(bar.low(), price), price,
                bar.volume() + qty, bar.turnover() + price * qty, bar.trades() + 1, bar.buyVolume());
    }

    private static void restoreNewest(BarCache cache) {
        List<Bar> newest = cache.range(0, Long.MAX_VALUE, 1);
        if (!newest.isEmpty()) {
            Bar b = newest.get(0);
            cache.add(new Bar(b.symbol(), b.interval(), b.time(), b.open(), b.high() + 1, b.low(), b.high() + 1,
                    b.volume() + 100, b.turnover() + 100 * (b.high() + 1), b.trades() + 1, b.buyVolume()));
        }
    }

    /** The computation before the cache: read the period, put the live bar in, roll up, take the last. */
    private static Bar reference(MarketCalendar cal, Interval iv, long time, BarCache source, Bar live) {
        long start = cal.barSpanStart(iv, time);
        long end = cal.nextBarStart(iv, cal.barStart(iv, time));
        List<Bar> parts = new ArrayList<>(source.range(start, end, 100_000));
        if (live != null && live.time() >= start && live.time() < end) {
            if (!parts.isEmpty() && parts.get(parts.size() - 1).time() == live.time()) {
                parts.set(parts.size() - 1, live);
            } else {
                parts.add(live);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        List<Bar> rolled = KlineRollup.rollup(iv, parts, cal);
        return rolled.get(rolled.size() - 1);
    }
}
