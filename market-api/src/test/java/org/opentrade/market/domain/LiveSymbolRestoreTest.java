package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.model.Side;
import org.opentrade.market.domain.Reference.Event;

/**
 * A service that crashes after any event and restarts from what the store holds (closed bars and
 * trades) continues exactly like one that never stopped: same closed bars overall (no duplicate, no
 * hole), same day statistics, live bars and minute line.
 */
class LiveSymbolRestoreTest {
    private static final int RECENT = 30;

    /** What the store would hold: every trade and every closed bar. */
    private static final class Store {
        final List<Trade> trades = new ArrayList<>();
        final List<Bar> bars = new ArrayList<>();
    }

    private static void apply(LiveSymbol live, Event e, Store store) {
        if (e.trade() != null) {
            store.trades.add(e.trade());
            live.onTrade(e.trade(), store.bars::add);
        } else {
            live.onTime(e.time(), store.bars::add);
        }
    }

    /** The wiring's restart, as restore's Javadoc prescribes. */
    private static LiveSymbol restart(MarketCalendar cal, Store store) {
        LiveSymbol live = new LiveSymbol(Reference.instrument(1000), cal, RECENT);
        if (store.trades.isEmpty()) {
            live.restore(List.of(), null, List.of());
            return live;
        }
        LocalDate day = cal.tradingDay(store.trades.get(store.trades.size() - 1).time());
        Optional<Bar> dayClosed = store.bars.stream().filter(b -> b.interval() == Interval.D1
                && b.time() == cal.dayBarStart(Interval.D1, day)).findFirst();
        if (dayClosed.isPresent()) {
            // That day is over: the next one has no trade yet.
            live.restore(List.of(), dayClosed.get(), List.of());
            return live;
        }
        long dayStart = cal.tradingDayStart(day);
        long dayEnd = cal.tradingDayStart(day.plusDays(1));
        List<Bar> today = store.bars.stream().filter(b -> b.interval() == Interval.M1 && b.time() >= dayStart
                && b.time() < dayEnd).toList();
        Bar previousDay = store.bars.stream().filter(b -> b.interval() == Interval.D1 && b.time() < cal.dayBarStart(
                Interval.D1, day)).reduce((a, b) -> b).orElse(null);
        long from = today.isEmpty() ? dayStart : today.get(today.size() - 1).time() + 60_000;
        List<Trade> open = store.trades.stream().filter(t -> t.time() >= from).toList();
        live.restore(today, previousDay, open);
        return live;
    }

    @ParameterizedTest
    @ValueSource(longs = {41, 42, 43})
    void restoringAfterAnyEventThenContinuingEqualsAnUninterruptedRun(long seed) {
        MarketCalendar cal = MarketCalendar.shanghaiContinuous();
        List<Event> events = new ArrayList<>(Reference.continuousStream(seed, LocalDateTime.of(2026, 1, 30, 12, 0),
                LocalDateTime.of(2026, 2, 2, 16, 0), false));
        events.add(new Event(events.get(events.size() - 1).time() + 1, new Trade(0, 1_000_000, Reference.SYMBOL,
                events.get(events.size() - 1).time() + 1, 1001, 100, Side.BUY)));
        Store whole = new Store();
        LiveSymbol uninterrupted = new LiveSymbol(Reference.instrument(1000), cal, RECENT);
        events.forEach(e -> apply(uninterrupted, e, whole));
        long end = events.get(events.size() - 1).time();

        SplittableRandom r = new SplittableRandom(seed);
        List<Integer> crashes = new ArrayList<>(List.of(0, 1, events.size() - 1));
        for (int i = 0; i < 40; i++) {
            crashes.add(r.nextInt(events.size()));
        }
        for (int crash : crashes) {
            Store store = new Store();
            LiveSymbol before = new LiveSymbol(Reference.instrument(1000), cal, RECENT);
            events.subList(0, crash).forEach(e -> apply(before, e, store));
            LiveSymbol after = restart(cal, store);
            events.subList(crash, events.size()).forEach(e -> apply(after, e, store));
            String at = "crash after event " + crash;
            assertEquals(whole.bars, store.bars, at + ": closed bars");
            assertEquals(uninterrupted.stats(), after.stats(), at);
            assertEquals(uninterrupted.liveBar(Interval.M1), after.liveBar(Interval.M1), at);
            assertEquals(uninterrupted.liveBar(Interval.D1), after.liveBar(Interval.D1), at);
            assertEquals(uninterrupted.minuteLine(end), after.minuteLine(end), at);
            List<Bar> full = uninterrupted.recentMinuteBars();
            List<Bar> restored = after.recentMinuteBars();
            assertEquals(full.subList(full.size() - restored.size(), full.size()), restored, at + ": recent bars");
        }
    }

    @Test
    void restoreFromBarsOnlyRebuildsTheDayWithBuyVolumeFromTheBars() {
        MarketCalendar cal = MarketCalendar.shanghaiContinuous();
        long t = Reference.ms(LocalDateTime.of(2026, 2, 2, 10, 0));
        Bar prev = new Bar(Reference.SYMBOL, Interval.D1, Reference.ms(LocalDateTime.of(2026, 1, 30, 0, 0)), 990, 1000,
                980, 995, 10_000, 9_950_000, 40, 6_000);
        List<Bar> today = List.of(
                new Bar(Reference.SYMBOL, Interval.M1, t, 1000, 1010, 999, 1005, 700, 702_000, 5, 500),
                new Bar(Reference.SYMBOL, Interval.M1, t + 120_000, 1004, 1004, 990, 992, 300, 298_000, 2, 100));
        LiveSymbol live = new LiveSymbol(Reference.instrument(1000), cal, 1);
        live.restore(today, prev, List.of());
        DayStats d = live.stats();
        assertEquals(List.of(995L, 992L, 1000L, 1010L, 990L, 1_000L, 1_000_000L, 7L, 600L, 400L, -3L),
                List.of(d.prevClose(), d.last(), d.open(), d.high(), d.low(), d.volume(), d.turnover(), d.trades(),
                        d.buyVolume(), d.sellVolume(), d.change()));
        assertEquals(List.of(today.get(1)), live.recentMinuteBars());
        assertEquals(Optional.empty(), live.liveBar(Interval.M1));
        assertEquals(Optional.of(LocalDate.of(2026, 2, 2)), live.tradingDay());
    }

    @Test
    void restoreRefusesBarsOfTwoDaysAndTradesSpanningMinutes() {
        MarketCalendar cal = MarketCalendar.shanghaiContinuous();
        long t = Reference.ms(LocalDateTime.of(2026, 2, 2, 14, 59));
        LiveSymbol live = new LiveSymbol(Reference.instrument(1000), cal, 1);
        Bar a = new Bar(Reference.SYMBOL, Interval.M1, t, 1, 1, 1, 1, 1, 1, 1, 0);
        Bar b = new Bar(Reference.SYMBOL, Interval.M1, t + 60_000, 1, 1, 1, 1, 1, 1, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> live.restore(List.of(a, b), null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> live.restore(List.of(b, a), null, List.of()));
        List<Trade> spanning = List.of(new Trade(0, 1, Reference.SYMBOL, t, 1, 1, Side.BUY),
                new Trade(0, 2, Reference.SYMBOL, t - 60_000, 1, 1, Side.BUY),
                new Trade(0, 3, Reference.SYMBOL, t + 120_000, 1, 1, Side.BUY));
        assertThrows(IllegalArgumentException.class, () -> live.restore(List.of(), null, spanning));
    }
}
