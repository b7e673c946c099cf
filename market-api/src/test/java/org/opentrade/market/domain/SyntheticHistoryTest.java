package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SyntheticHistoryTest {
    private static final LocalDate LAST = LocalDate.of(2026, 2, 3); // a Tuesday

    private static Instrument instrument(String symbol, long prevClose, int band) {
        return new Instrument(symbol, "Test", Instrument.boardOf(symbol), prevClose, 1, 100, 1_000_000, band,
                500_000_000, 60);
    }

    @Test
    void sameInputsGiveTheSameBarsAndAnotherSeedOrSymbolOthers() {
        Instrument i = instrument("600000.SH", 1_234, 10);
        List<Bar> a = SyntheticHistory.minuteBars(i, LAST, 20, 42, 0.02, Reference.SH);
        assertEquals(a, SyntheticHistory.minuteBars(i, LAST, 20, 42, 0.02, Reference.SH));
        assertNotEquals(a, SyntheticHistory.minuteBars(i, LAST, 20, 43, 0.02, Reference.SH));
        List<Bar> other = SyntheticHistory.minuteBars(instrument("600001.SH", 1_234, 10), LAST, 20, 42, 0.02, Reference.SH);
        assertNotEquals(a.stream().map(Bar::close).toList(), other.stream().map(Bar::close).toList());
    }

    @Test
    void onehundredTwentyDaysOfSessionMinutesEndExactlyAtThePreviousClose() {
        for (Instrument i : List.of(instrument("600000.SH", 1_234, 10), instrument("688001.SH", 5_555, 20),
                instrument("300750.SZ", 17_999, 20), instrument("000002.SZ", 123, 10))) {
            List<Bar> bars = SyntheticHistory.minuteBars(i, LAST, 120, 7, 0.03, Reference.SH);
            assertEquals(120 * 240, bars.size());
            assertEquals(i.prevClose(), bars.get(bars.size() - 1).close(), i.symbol());
            Map<LocalDate, List<Bar>> byDay = new TreeMap<>();
            long previous = Long.MIN_VALUE;
            for (Bar b : bars) {
                ZonedDateTime z = Instant.ofEpochMilli(b.time()).atZone(Reference.SH);
                LocalTime t = z.toLocalTime();
                assertTrue(z.getDayOfWeek() != DayOfWeek.SATURDAY && z.getDayOfWeek() != DayOfWeek.SUNDAY);
                assertTrue(!t.isBefore(LocalTime.of(9, 30)) && t.isBefore(LocalTime.of(11, 30))
                        || !t.isBefore(LocalTime.of(13, 0)) && t.isBefore(LocalTime.of(15, 0)), "session minute " + t);
                assertEquals(0, t.getSecond());
                assertTrue(b.time() > previous);
                previous = b.time();
                assertEquals(Interval.M1, b.interval());
                assertEquals(i.symbol(), b.symbol());
                assertTrue(b.high() >= Math.max(b.open(), b.close()) && b.low() <= Math.min(b.open(), b.close()));
                assertTrue(b.low() > 0);
                assertTrue(b.volume() > 0 && b.volume() % 100 == 0);
                assertTrue(b.buyVolume() >= 0 && b.buyVolume() <= b.volume());
                assertTrue(b.turnover() >= b.low() * b.volume() && b.turnover() <= b.high() * b.volume());
                assertEquals(SyntheticHistory.TRADES_PER_MINUTE, b.trades());
                byDay.computeIfAbsent(z.toLocalDate(), d -> new ArrayList<>()).add(b);
            }
            assertEquals(LAST, ((TreeMap<LocalDate, List<Bar>>) byDay).lastKey());
            assertEquals(120, byDay.size());
            // every price within the band around the previous day's close (as the exchange computes it)
            long reference = -1;
            for (List<Bar> day : byDay.values()) {
                assertEquals(240, day.size());
                if (reference > 0) {
                    long upper = (reference * (100 + i.bandPercent()) + 50) / 100;
                    long lower = (reference * (100 - i.bandPercent()) + 50) / 100;
                    for (Bar b : day) {
                        assertTrue(b.high() <= upper && b.low() >= lower, i.symbol() + " " + b);
                    }
                }
                reference = day.get(day.size() - 1).close();
            }
        }
    }

    @Test
    void minuteReturnsHaveTheRequestedVolatility() {
        double perHour = 0.02;
        List<Bar> bars = SyntheticHistory.minuteBars(instrument("600000.SH", 100_000, 10), LAST, 60, 3, perHour,
                Reference.SH);
        double sum = 0;
        int n = 0;
        for (int i = 1; i < bars.size(); i++) {
            if (bars.get(i).time() - bars.get(i - 1).time() == 60_000) {
                double ret = Math.log((double) bars.get(i).close() / bars.get(i - 1).close());
                sum += ret * ret;
                n++;
            }
        }
        double perMinute = Math.sqrt(sum / n);
        double expected = perHour / Math.sqrt(60);
        assertTrue(perMinute > expected * 0.8 && perMinute < expected * 1.2, perMinute + " vs " + expected);
    }

    @Test
    void aWeekendLastDayEndsOnTheFridayBefore() {
        List<Bar> bars = SyntheticHistory.minuteBars(instrument("600000.SH", 1_000, 10), LocalDate.of(2026, 2, 1), 1, 1,
                0.01, Reference.SH);
        assertEquals(LocalDate.of(2026, 1, 30), Instant.ofEpochMilli(bars.get(0).time()).atZone(Reference.SH).toLocalDate());
        assertEquals(1_000, bars.get(239).close());
    }

    @Test
    void holidaysGetNoBars() {
        java.util.Set<LocalDate> holidays = java.util.Set.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 2));
        List<Bar> bars = SyntheticHistory.minuteBars(instrument("600000.SH", 1_000, 10), LocalDate.of(2026, 1, 5), 3, 1,
                0.01, Reference.SH, holidays::contains, SyntheticHistory.SESSIONS_END);
        assertEquals(List.of(LocalDate.of(2025, 12, 30), LocalDate.of(2025, 12, 31), LocalDate.of(2026, 1, 5)),
                bars.stream().map(b -> Instant.ofEpochMilli(b.time()).atZone(Reference.SH).toLocalDate()).distinct()
                        .toList());
    }

    @Test
    void zeroVolatilityIsAFlatLineAtThePreviousClose() {
        List<Bar> bars = SyntheticHistory.minuteBars(instrument("600000.SH", 1_000, 10), LAST, 2, 1, 0, Reference.SH);
        assertTrue(bars.stream().allMatch(b -> b.high() == 1_000 && b.low() == 1_000));
    }

    @Test
    void badArgumentsAreRefused() {
        Instrument i = instrument("600000.SH", 1_000, 10);
        assertThrows(IllegalArgumentException.class, () -> SyntheticHistory.minuteBars(i, LAST, 0, 1, 0.01, Reference.SH));
        assertThrows(IllegalArgumentException.class, () -> SyntheticHistory.minuteBars(i, LAST, 1, 1, -1, Reference.SH));
        assertThrows(IllegalArgumentException.class, () -> SyntheticHistory.minuteBars(i, LAST, 1, 1, Double.NaN,
                Reference.SH));
        assertThrows(IllegalArgumentException.class, () -> SyntheticHistory.minuteBars(instrument("600000.SH", 0, 10),
                LAST, 1, 1, 0.01, Reference.SH));
    }
}
