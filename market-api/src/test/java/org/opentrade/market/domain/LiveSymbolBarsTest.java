package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.domain.Reference.Event;

/**
 * LiveSymbol's bars and day statistics against the brute-force {@link Reference} on seeded random
 * streams: CONTINUOUS days rolling at 15:00 across a weekend, a Monday week start and a month
 * change (Thu 2026-01-29 … Tue 2026-02-03), late trades, empty minutes and days; and A_SHARE
 * sessions with a call auction and a lunch break.
 */
class LiveSymbolBarsTest {
    private static final int RECENT = 50;

    /** Runs the events through a fresh LiveSymbol, collecting closed bars. */
    private static final class Run {
        final LiveSymbol live;
        final List<Bar> closed = new ArrayList<>();

        Run(MarketCalendar cal, long prevClose) {
            live = new LiveSymbol(Reference.instrument(prevClose), cal, RECENT);
        }

        Run apply(List<Event> events) {
            for (Event e : events) {
                if (e.trade() != null) {
                    live.onTrade(e.trade(), closed::add);
                } else {
                    live.onTime(e.time(), closed::add);
                }
            }
            return this;
        }

        List<Bar> closedAndLive(Interval iv) {
            List<Bar> out = closed.stream().filter(b -> b.interval() == iv).collect(Collectors.toCollection(ArrayList::new));
            live.liveBar(iv).ifPresent(out::add);
            return out;
        }
    }

    private static MarketCalendar aShare() {
        return new MarketCalendar(MarketCalendar.Kind.A_SHARE, Reference.SH, LocalTime.of(15, 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void continuousBarsOfEveryIntervalEqualBruteForceGrouping(long seed) {
        List<Event> events = Reference.continuousStream(seed, LocalDateTime.of(2026, 1, 29, 10, 0),
                LocalDateTime.of(2026, 2, 3, 12, 0), true);
        MarketCalendar cal = MarketCalendar.shanghaiContinuous();
        Run run = new Run(cal, 1000).apply(events);
        List<Trade> trades = Reference.effective(events);
        assertTrue(trades.size() > 1000, "a busy stream");
        assertBars(run, trades, cal, true);
        assertDayStats(run.live, events, true, 1000);
        List<Long> starts = Reference.bars(Interval.W1, trades, true).stream().map(Bar::time).toList();
        assertEquals(List.of(Reference.ms(LocalDate.of(2026, 1, 26).atStartOfDay()),
                Reference.ms(LocalDate.of(2026, 2, 2).atStartOfDay())), starts, "the stream spans a Monday week start");
        List<Bar> minutes = run.closedAndLive(Interval.M1);
        assertTrue(minutes.size() < (events.get(events.size() - 1).time() - events.get(0).time()) / 60_000,
                "the stream has empty minutes");
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void aShareBarsOfEveryIntervalEqualBruteForceGrouping(long seed) {
        List<LocalDate> days = List.of(LocalDate.of(2026, 1, 29), LocalDate.of(2026, 1, 30), LocalDate.of(2026, 2, 2));
        List<Event> events = Reference.aShareStream(seed, days);
        MarketCalendar cal = aShare();
        Run run = new Run(cal, 1000).apply(events);
        List<Trade> trades = Reference.effective(events);
        assertBars(run, trades, cal, false);
        assertDayStats(run.live, events, false, 1000);
    }

    /**
     * A 24×7 day ending at 15:30: intraday bars count from the day's start, so none holds minutes of two trading
     * days and each day's 5m–60m bars add up to its 1d bar. By the clock the 15:00 60m bar held 15:00–15:29 of one
     * day and 15:30–15:59 of the next.
     */
    @ParameterizedTest
    @ValueSource(longs = {41, 42})
    void continuousBarsOfADayEndingOffTheHourNestInTheTradingDays(long seed) {
        LocalTime dayEnd = LocalTime.of(15, 30);
        MarketCalendar cal = new MarketCalendar(MarketCalendar.Kind.CONTINUOUS, Reference.SH, dayEnd);
        List<Event> events = Reference.continuousStream(seed, LocalDateTime.of(2026, 1, 29, 10, 0),
                LocalDateTime.of(2026, 2, 2, 12, 0), true);
        Run run = new Run(cal, 1000).apply(events);
        List<Trade> trades = Reference.effective(events);
        List<Bar> m1 = run.closedAndLive(Interval.M1);
        Map<LocalDate, List<Trade>> byDay = new TreeMap<>();
        for (Trade t : trades) {
            LocalDateTime lt = java.time.Instant.ofEpochMilli(t.time()).atZone(Reference.SH).toLocalDateTime();
            byDay.computeIfAbsent(lt.toLocalTime().isBefore(dayEnd) ? lt.toLocalDate() : lt.toLocalDate().plusDays(1),
                    d -> new ArrayList<>()).add(t);
        }
        List<Bar> days = new ArrayList<>();
        byDay.forEach((d, ts) -> days.add(Reference.bar(Interval.D1, Reference.ms(d.atStartOfDay()), ts)));
        assertEquals(days, run.closedAndLive(Interval.D1));
        for (Interval iv : List.of(Interval.M5, Interval.M15, Interval.M30, Interval.M60)) {
            long size = iv.minutes() * 60_000L;
            Map<Long, List<Trade>> groups = new TreeMap<>();
            Map<Long, LocalDate> dayOf = new TreeMap<>();
            byDay.forEach((d, ts) -> {
                long dayStart = Reference.ms(d.minusDays(1).atTime(dayEnd));
                for (Trade t : ts) {
                    long key = dayStart + (t.time() - dayStart) / size * size;
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                    dayOf.put(key, d);
                }
            });
            List<Bar> expected = new ArrayList<>();
            groups.forEach((time, ts) -> expected.add(Reference.bar(iv, time, ts)));
            List<Bar> rolled = KlineRollup.rollup(iv, m1, cal);
            assertEquals(expected, rolled, iv.code());
            for (Bar day : days) {
                LocalDate d = java.time.Instant.ofEpochMilli(day.time()).atZone(Reference.SH).toLocalDate();
                List<Bar> ofDay = rolled.stream().filter(b -> dayOf.get(b.time()).equals(d)).toList();
                assertEquals(day.volume(), ofDay.stream().mapToLong(Bar::volume).sum(), iv.code() + " volume of " + d);
                assertEquals(day.turnover(), ofDay.stream().mapToLong(Bar::turnover).sum(), iv.code() + " turnover of " + d);
            }
        }
    }

    private static void assertBars(Run run, List<Trade> trades, MarketCalendar cal, boolean continuous) {
        List<Bar> m1 = run.closedAndLive(Interval.M1);
        assertEquals(Reference.bars(Interval.M1, trades, continuous), m1, "1m = closed + live");
        assertEquals(Reference.bars(Interval.D1, trades, continuous), run.closedAndLive(Interval.D1), "1d = closed + live");
        for (Interval iv : Interval.values()) {
            List<Bar> source = iv.isIntraday() || iv == Interval.D1 ? m1 : run.closedAndLive(Interval.D1);
            assertEquals(Reference.bars(iv, trades, continuous), KlineRollup.rollup(iv, source, cal),
                    iv.code() + " rolled up from " + source.get(0).interval().code());
        }
        List<Bar> closedM1 = run.closed.stream().filter(b -> b.interval() == Interval.M1).toList();
        assertEquals(closedM1.subList(closedM1.size() - RECENT, closedM1.size()), run.live.recentMinuteBars());
        List<Long> closeOrder = run.closed.stream().map(b -> b.interval() == Interval.D1
                ? cal.tradingDayStart(cal.tradingDay(b.time()).plusDays(1)) : b.time() + 60_000).toList();
        for (int i = 1; i < closeOrder.size(); i++) {
            assertTrue(closeOrder.get(i) >= closeOrder.get(i - 1), "bars close in time order");
        }
    }

    /** The last trading day's figures; prevClose is the last price of the previous day with trades. */
    private static void assertDayStats(LiveSymbol live, List<Event> events, boolean continuous, long firstPrevClose) {
        List<Trade> trades = Reference.effective(events);
        Map<LocalDate, List<Trade>> byDay = new TreeMap<>();
        trades.forEach(t -> byDay.computeIfAbsent(Reference.tradingDay(t.time(), continuous), d -> new ArrayList<>()).add(t));
        List<LocalDate> days = new ArrayList<>(byDay.keySet());
        List<Trade> today = byDay.get(days.get(days.size() - 1));
        long prevClose = days.size() > 1 ? last(byDay.get(days.get(days.size() - 2))).price() : firstPrevClose;
        Bar day = Reference.bar(Interval.D1, 0, today);
        long last = last(today).price();
        long sell = today.stream().filter(t -> t.aggressor() == Side.SELL).mapToLong(Trade::qty).sum();
        // lastTradeTime is the trade's own stamp, not its effective time.
        long lastStamp = events.stream().filter(e -> e.trade() != null).reduce((a, b) -> b).orElseThrow().time();
        Instrument inst = live.instrument();
        DayStats expected = new DayStats(Reference.SYMBOL, last, prevClose, day.open(), day.high(), day.low(),
                day.volume(), day.turnover(), day.trades(), Reference.divHalfUp(day.turnover(), day.volume()),
                day.buyVolume(), sell, last - prevClose, Reference.bp(last - prevClose, prevClose),
                Reference.bp(day.high() - day.low(), prevClose), Reference.bp(day.volume(), inst.floatShares()),
                Reference.divHalfUp(last * 100, inst.eps()), lastStamp);
        assertEquals(expected, live.stats());
    }

    private static Trade last(List<Trade> ts) {
        return ts.get(ts.size() - 1);
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22})
    void aShareMinuteLineFoldsTheAuctionIntoTheOpenAndCarriesPricesOverEmptyMinutes(long seed) {
        LocalDate day = LocalDate.of(2026, 2, 2);
        List<Event> events = Reference.aShareStream(seed, List.of(LocalDate.of(2026, 1, 30), day));
        MarketCalendar cal = aShare();
        List<Trade> trades = Reference.effective(events);
        long prevClose = trades.stream().filter(t -> Reference.tradingDay(t.time(), false).isBefore(day))
                .reduce((a, b) -> b).orElseThrow().price();
        for (LocalTime at : List.of(LocalTime.of(9, 26), LocalTime.of(9, 30), LocalTime.of(10, 17, 30),
                LocalTime.of(12, 0), LocalTime.of(14, 3, 1), LocalTime.of(15, 0), LocalTime.of(20, 0))) {
            long now = Reference.ms(day.atTime(at));
            Predicate<Event> upToNow = e -> e.time() <= now;
            Run run = new Run(cal, 1000).apply(events.stream().filter(upToNow).toList());
            run.live.onTime(now, run.closed::add);
            List<MinutePoint> expected = Reference.minuteLine(trades.stream().filter(t -> t.time() <= now).toList(), day,
                    false, prevClose, now);
            List<MinutePoint> line = run.live.minuteLine(now);
            assertEquals(expected, line, "minute line at " + at);
        }
        Run full = new Run(cal, 1000).apply(events);
        assertEquals(240, full.live.minuteLine(Reference.ms(day.atTime(23, 0))).size());
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32})
    void continuousMinuteLineStartsAtTheTradingDayStartAndHasOnePointPerMinute(long seed) {
        List<Event> events = Reference.continuousStream(seed, LocalDateTime.of(2026, 1, 30, 13, 0),
                LocalDateTime.of(2026, 1, 31, 11, 0), true);
        MarketCalendar cal = MarketCalendar.shanghaiContinuous();
        Run run = new Run(cal, 1000).apply(events);
        long now = events.get(events.size() - 1).time() + 1;
        run.live.onTime(now, run.closed::add);
        List<Trade> trades = Reference.effective(events);
        LocalDate day = Reference.tradingDay(now, true);
        long prevClose = trades.stream().filter(t -> Reference.tradingDay(t.time(), true).isBefore(day))
                .reduce((a, b) -> b).orElseThrow().price();
        List<MinutePoint> line = run.live.minuteLine(now);
        assertEquals(Reference.minuteLine(trades, day, true, prevClose, now), line);
        assertEquals(Reference.ms(day.minusDays(1).atTime(15, 0)), line.get(0).time());
        assertTrue(line.stream().anyMatch(p -> p.volume() == 0), "empty minutes carry the price");
    }
}
