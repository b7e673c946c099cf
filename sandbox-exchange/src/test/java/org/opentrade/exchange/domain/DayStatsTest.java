package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Price;

/** {@link DayStats} on its own: the arithmetic the scenario tests cannot reach with legal orders. */
class DayStatsTest {

    @Test
    void turnoverSticksAtTheLargestLongInsteadOfWrapping() {
        DayStats d = new DayStats();
        d.record(Price.MAX, MatchingEngine.PURE_MAX_QTY); // 10^22 hundredths: beyond a long
        assertEquals(Long.MAX_VALUE, d.turnover);
        assertEquals(MatchingEngine.PURE_MAX_QTY, d.volume);
        d.record(100, 1);
        assertEquals(Long.MAX_VALUE, d.turnover, "stays saturated");
    }

    @Test
    void turnoverSaturatesWhenTheSumOverflowsToo() {
        DayStats d = new DayStats();
        d.record(Price.MAX, 900_000_000L); // 9 * 10^18, just below Long.MAX_VALUE
        d.record(Price.MAX, 100_000_000L);
        assertEquals(Long.MAX_VALUE, d.turnover);
        assertEquals(2, d.trades);
    }

    @Test
    void resetForgetsTheDay() {
        DayStats d = new DayStats();
        d.record(1000, 100);
        d.reset();
        d.record(990, 10);
        assertEquals(990, d.open);
        assertEquals(990, d.high);
        assertEquals(990, d.low);
        assertEquals(10, d.volume);
        assertEquals(9_900, d.turnover);
        assertEquals(1, d.trades);
    }
}
