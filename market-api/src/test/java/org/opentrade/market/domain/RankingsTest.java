package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class RankingsTest {

    private static DayStats stats(String symbol, long last, long prevClose, long high, long low, long volume,
                                  long turnover, long floatShares) {
        return DayStats.of(symbol, last, prevClose, last, high, low, volume, turnover, volume > 0 ? 1 : 0, 0, 0,
                floatShares, 0, 0);
    }

    @Test
    void changePctRanksByTheShownPercentWithTiesBySymbolInBothDirections() {
        List<DayStats> all = List.of(
                stats("B", 1100, 1000, 1100, 1000, 100, 110_000, 0),  // +10.00 %
                stats("A", 1100, 1000, 1100, 1000, 100, 110_000, 0),  // +10.00 %, ties with B
                stats("C", 950, 1000, 1000, 950, 100, 95_000, 0),     // -5.00 %
                stats("D", 0, 1000, 0, 0, 0, 0, 0),                   // no trade yet: 0
                stats("E", 1000, 1000, 1000, 1000, 100, 100_000, 0)); // 0, ties with D
        assertEquals(List.of("A", "B", "D", "E", "C"), symbols(Rankings.rank(all, RankBy.CHANGE_PCT, true, 10)));
        assertEquals(List.of("C", "D", "E", "A", "B"), symbols(Rankings.rank(all, RankBy.CHANGE_PCT, false, 10)));
        assertEquals(List.of("A", "B"), symbols(Rankings.rank(all, RankBy.CHANGE_PCT, true, 2)));
        assertEquals(List.of(), Rankings.rank(all, RankBy.CHANGE_PCT, true, 0));
        assertThrows(IllegalArgumentException.class, () -> Rankings.rank(all, RankBy.VOLUME, true, -1));
    }

    @Test
    void everyRankingOrdersLikeASortOfItsFigure() {
        SplittableRandom r = new SplittableRandom(5);
        List<DayStats> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long prev = 900 + r.nextInt(200);
            long low = prev - r.nextInt(50);
            long high = prev + r.nextInt(50);
            long last = low + r.nextLong(high - low + 1);
            long volume = 100L * r.nextInt(20); // many ties
            all.add(stats(String.format("%06d.SZ", r.nextInt(1_000_000)), last, prev, high, low, volume,
                    volume * last, r.nextBoolean() ? 0 : 1_000_000));
        }
        for (RankBy by : RankBy.values()) {
            ToLongFunction<DayStats> f = switch (by) {
                case CHANGE_PCT -> s -> Reference.bp(s.last() - s.prevClose(), s.prevClose());
                case VOLUME -> DayStats::volume;
                case TURNOVER -> DayStats::turnover;
                case AMPLITUDE -> s -> Reference.bp(s.high() - s.low(), s.prevClose());
                case TURNOVER_RATE -> s -> s.turnoverRateBp() == 0 ? 0 : Reference.bp(s.volume(), 1_000_000);
            };
            for (boolean descending : new boolean[] {true, false}) {
                List<DayStats> expected = new ArrayList<>(all);
                // A stable sort by symbol, then by the figure: symbol order within ties.
                expected.sort(Comparator.comparing(DayStats::symbol));
                List<DayStats> byFigure = new ArrayList<>(expected);
                byFigure.sort((a, b) -> descending ? Long.compare(f.applyAsLong(b), f.applyAsLong(a))
                        : Long.compare(f.applyAsLong(a), f.applyAsLong(b)));
                assertEquals(byFigure.subList(0, 50), Rankings.rank(all, by, descending, 50), by + " " + descending);
                List<DayStats> shuffled = new ArrayList<>(all);
                Collections.shuffle(shuffled, new java.util.Random(1));
                assertEquals(Rankings.rank(all, by, descending, 300), Rankings.rank(shuffled, by, descending, 300));
            }
        }
    }

    @Test
    void wireNamesParseExactly() {
        assertEquals(Optional.of(RankBy.CHANGE_PCT), RankBy.parse("change_pct"));
        assertEquals(Optional.of(RankBy.TURNOVER_RATE), RankBy.parse("turnover_rate"));
        assertEquals(Optional.of(RankBy.AMPLITUDE), RankBy.parse("amplitude"));
        assertEquals(Optional.empty(), RankBy.parse("Volume"));
        assertEquals(Optional.empty(), RankBy.parse(null));
        for (RankBy b : RankBy.values()) {
            assertEquals(Optional.of(b), RankBy.parse(b.wireName()));
        }
    }

    private static List<String> symbols(List<DayStats> l) {
        return l.stream().map(DayStats::symbol).toList();
    }
}
