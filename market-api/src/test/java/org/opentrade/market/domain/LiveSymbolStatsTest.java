package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Side;

/** Day statistics and their ratios on hand-worked examples, snapshots, and a few contract edges. */
class LiveSymbolStatsTest {
    private static final long T = Reference.ms(LocalDateTime.of(2026, 2, 2, 10, 0)); // Monday 10:00 Shanghai

    private static Trade trade(long seq, long time, long price, long qty, Side side) {
        return new Trade(0, seq, Reference.SYMBOL, time, price, qty, side);
    }

    private static LiveSymbol live(long prevClose, long floatShares, long eps) {
        Instrument i = new Instrument(Reference.SYMBOL, "Test", "SH_MAIN", prevClose, 1, 100, 1_000_000, 10,
                floatShares, eps);
        return new LiveSymbol(i, MarketCalendar.shanghaiContinuous(), 10);
    }

    @Test
    void vwapActiveBuySellChangeAmplitudeTurnoverRateAndPeFollowTheTrades() {
        LiveSymbol s = live(1000, 1_000_000, 50);
        s.onTrade(trade(1, T, 1012, 300, Side.BUY), BarSink.NONE);
        s.onTrade(trade(2, T + 1, 1001, 200, Side.SELL), BarSink.NONE);
        s.onTrade(trade(3, T + 2, 995, 500, Side.BUY), BarSink.NONE);
        DayStats d = s.stats();
        // turnover 303 600 + 200 200 + 497 500 = 1 001 300 over 1 000 shares: 10.013 → 10.01
        assertEquals(new DayStats(Reference.SYMBOL, 995, 1000, 1012, 1012, 995, 1000, 1_001_300, 3, 1001, 800, 200,
                -5, -50, 170, 10, 1990, T + 2), d);
        assertEquals("-0.50", DayStats.percent(d.changeBp()));
    }

    @Test
    void changePctRoundsHalfAwayFromZero() {
        // ±1 on 8.00 is ±0.125 %: shown as ±0.13
        assertEquals(13, DayStats.of("X", 801, 800, 801, 801, 801, 1, 801, 1, 0, 0, 0, 0, 0).changeBp());
        assertEquals(-13, DayStats.of("X", 799, 800, 799, 799, 799, 1, 799, 1, 0, 0, 0, 0, 0).changeBp());
        // 1 on 33.33 is 0.030003 %: 0.03
        assertEquals(3, DayStats.of("X", 3334, 3333, 3334, 3334, 3334, 1, 3334, 1, 0, 0, 0, 0, 0).changeBp());
        assertEquals("-0.13", DayStats.percent(-13));
        assertEquals("1.23", DayStats.percent(123));
        assertEquals("0.00", DayStats.percent(0));
        assertEquals("-10.00", DayStats.percent(-1000));
    }

    @Test
    void ratiosMatchBigDecimalOnRandomFigures() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long prev = 1 + r.nextLong(100_000);
            long last = 1 + r.nextLong(200_000);
            long low = 1 + r.nextLong(last);
            long high = last + r.nextLong(1000);
            long volume = r.nextLong(1_000_000_000L);
            long turnover = volume * low + r.nextLong(1 + volume * (high - low));
            long floatShares = r.nextInt(4) == 0 ? 0 : 1 + r.nextLong(10_000_000_000L);
            long eps = r.nextLong(2000) - 500;
            DayStats d = DayStats.of("X", last, prev, low, high, low, volume, turnover, 1, 0, 0, floatShares, eps, 0);
            assertEquals(Reference.bp(last - prev, prev), d.changeBp());
            assertEquals(Reference.bp(high - low, prev), d.amplitudeBp());
            assertEquals(floatShares == 0 ? 0 : Reference.bp(volume, floatShares), d.turnoverRateBp());
            assertEquals(eps <= 0 ? 0 : Reference.divHalfUp(last * 100, eps), d.pe());
            assertEquals(volume == 0 ? 0 : Reference.divHalfUp(turnover, volume), d.vwap());
        }
    }

    @Test
    void unknownFloatSharesAndNonPositiveEpsGiveZeroRatios() {
        LiveSymbol s = live(1000, 0, -3);
        s.onTrade(trade(1, T, 1010, 100, Side.BUY), BarSink.NONE);
        assertEquals(0, s.stats().turnoverRateBp());
        assertEquals(0, s.stats().pe());
    }

    @Test
    void beforeAnyTradeTheDayIsZeroAndPeUsesThePreviousClose() {
        LiveSymbol s = live(1000, 1_000_000, 40);
        DayStats d = s.stats();
        assertEquals(0, d.last());
        assertEquals(0, d.change());
        assertEquals(0, d.volume());
        assertEquals(2500, d.pe());
        assertTrue(s.liveBar(Interval.M1).isEmpty());
        assertTrue(s.liveBar(Interval.D1).isEmpty());
        assertEquals(List.of(), s.minuteLine(T));
    }

    @Test
    void theDayRollsAtFifteenOClockAndTheLastPriceBecomesThePreviousClose() {
        LiveSymbol s = live(1000, 1_000_000, 50);
        List<Bar> closed = new ArrayList<>();
        long beforeEnd = Reference.ms(LocalDateTime.of(2026, 2, 2, 14, 59, 59, 999_000_000));
        s.onTrade(trade(1, beforeEnd, 1050, 100, Side.BUY), closed::add);
        s.onTime(beforeEnd + 1, closed::add);
        assertEquals(List.of(Interval.M1, Interval.D1), closed.stream().map(Bar::interval).toList());
        assertEquals(Reference.ms(LocalDateTime.of(2026, 2, 2, 0, 0)), closed.get(1).time());
        DayStats d = s.stats();
        assertEquals(1050, d.prevClose());
        assertEquals(1050, d.last());
        assertEquals(0, d.change());
        assertEquals(0, d.volume());
        assertEquals(0, d.trades());
        assertTrue(s.liveBar(Interval.D1).isEmpty());
        // the new day's minute line starts at 15:00 at the new previous close
        MinutePoint first = s.minuteLine(beforeEnd + 1).get(0);
        assertEquals(new MinutePoint(beforeEnd + 1, 1050, 0, 0, 1050), first);
    }

    @Test
    void onTheAShareCalendarAWeekendAndAHolidayKeepShowingTheLastTradingDay() {
        Instrument i = new Instrument(Reference.SYMBOL, "Test", "SH_MAIN", 1000, 1, 100, 1_000_000, 10, 0, 0);
        MarketCalendar cal = new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0),
                java.util.Set.of(java.time.LocalDate.of(2026, 2, 9))); // Monday the 9th a holiday
        LiveSymbol s = new LiveSymbol(i, cal, 10);
        List<Bar> closed = new ArrayList<>();
        long friday = Reference.ms(LocalDateTime.of(2026, 2, 6, 14, 0));
        s.onTrade(trade(1, friday, 1050, 300, Side.BUY), closed::add);
        for (LocalDateTime t : List.of(LocalDateTime.of(2026, 2, 7, 0, 0), LocalDateTime.of(2026, 2, 7, 10, 0),
                LocalDateTime.of(2026, 2, 8, 12, 0), LocalDateTime.of(2026, 2, 9, 10, 0))) {
            s.onTime(Reference.ms(t), closed::add);
            assertEquals(java.time.LocalDate.of(2026, 2, 6), s.tradingDay().orElseThrow(), t.toString());
            assertEquals(300, s.stats().volume(), "Friday's figures at " + t);
            assertEquals(50, s.stats().change(), "against Friday's previous close at " + t);
            assertTrue(s.liveBar(Interval.D1).isEmpty(), "Friday's bar is final at " + t);
            assertEquals(240, s.minuteLine(Reference.ms(t)).size(), "Friday's minute line at " + t);
        }
        assertEquals(List.of(Interval.M1, Interval.D1), closed.stream().map(Bar::interval).toList(), "closed once");
        assertEquals(Reference.ms(LocalDateTime.of(2026, 2, 6, 0, 0)), closed.get(1).time());

        s.onTime(Reference.ms(LocalDateTime.of(2026, 2, 10, 0, 0)), closed::add);
        assertEquals(java.time.LocalDate.of(2026, 2, 10), s.tradingDay().orElseThrow(), "the next trading day");
        assertEquals(0, s.stats().volume());
        assertEquals(1050, s.stats().prevClose());
        assertEquals(2, closed.size());
    }

    @Test
    void aDayWithoutTradesClosesNoDailyBarAndKeepsThePreviousClose() {
        LiveSymbol s = live(1000, 0, 0);
        List<Bar> closed = new ArrayList<>();
        s.onTime(T, closed::add);
        s.onTime(T + 3 * 86_400_000L, closed::add);
        assertEquals(List.of(), closed);
        assertEquals(1000, s.stats().prevClose());
    }

    @Test
    void aSnapshotSetsTheDayTotalsAndLaterTradesAddToThem() {
        LiveSymbol s = live(1000, 1_000_000, 50);
        BookSnapshot snap = new BookSnapshot(0, 77, Reference.SYMBOL, List.of(), List.of(), null, null, 1020, 990, 1000,
                1030, 985, 5_000, 5_050_000, 12, T, 40);
        s.adoptDayStats(snap, BarSink.NONE);
        s.onTrade(trade(78, T + 10, 1040, 100, Side.BUY), BarSink.NONE);
        DayStats d = s.stats();
        assertEquals(990, d.prevClose());
        assertEquals(1000, d.open());
        assertEquals(1040, d.high());
        assertEquals(985, d.low());
        assertEquals(5_100, d.volume());
        assertEquals(5_154_000, d.turnover());
        assertEquals(13, d.trades());
        assertEquals(100, d.buyVolume(), "the snapshot's volume has no side");
        assertEquals(0, d.sellVolume());
        assertEquals(50, d.change());
        Bar day = s.liveBar(Interval.D1).orElseThrow();
        assertEquals(List.of(1000L, 1040L, 985L, 1040L, 5_100L), List.of(day.open(), day.high(), day.low(), day.close(),
                day.volume()));
        // the snapshot's volume counts in the average price line, though it belongs to no minute
        MinutePoint p = s.minuteLine(T + 10).get(s.minuteLine(T + 10).size() - 1);
        assertEquals(100, p.volume());
        assertEquals(Reference.divHalfUp(5_154_000, 5_100), p.avgPrice());
    }

    @Test
    void recentMinuteBarsKeepTheLastNOldestFirst() {
        LiveSymbol s = live(1000, 0, 0);
        List<Bar> closed = new ArrayList<>();
        for (int m = 0; m < 25; m++) {
            s.onTrade(trade(m + 1, T + m * 60_000L, 1000 + m, 100, Side.BUY), closed::add);
        }
        assertEquals(24, closed.size());
        assertEquals(closed.subList(14, 24), s.recentMinuteBars());
        assertEquals(1024, s.liveBar(Interval.M1).orElseThrow().close());
    }

    @Test
    void aTradeOfAnotherSymbolOrAnUnkeptLiveIntervalIsRefused() {
        LiveSymbol s = live(1000, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> s.onTrade(new Trade(0, 1, "000001.SZ", T, 1, 1, Side.BUY),
                BarSink.NONE));
        assertThrows(IllegalArgumentException.class, () -> s.liveBar(Interval.M5));
        assertFalse(s.tradingDay().isPresent());
    }
}
