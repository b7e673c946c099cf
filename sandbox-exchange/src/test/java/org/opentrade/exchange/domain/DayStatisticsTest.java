package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentrade.exchange.domain.TestInstruments.SZ_MAIN;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.TradingCalendar;

/**
 * Day statistics in {@link MatchingEngine#bookSnapshot}: open, high, low, volume, turnover and trade
 * count follow every trade and start over at the trading-day end, where the band re-centres. On the
 * 24×7 calendar (day end 15:00 Asia/Shanghai) unless a test says otherwise.
 */
class DayStatisticsTest extends ExchangeScenario {
    private TradingCalendar calendar = new ContinuousCalendar();

    @Override
    protected MatchingEngine newEngine() {
        return MatchingEngine.withRules(TestInstruments.catalog(), calendar);
    }

    /** open, high, low, volume, turnover, trades of a symbol. */
    private List<Long> dayStats(String symbol) {
        BookSnapshot b = engine().bookSnapshot(0, 0, symbol, false);
        return List.of(b.open(), b.high(), b.low(), b.volume(), b.turnover(), b.trades());
    }

    @Test
    void beforeTheFirstTradeEveryStatisticIsZero() {
        given(alice.buys(1, 100, "9.99"));
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), dayStats(SYMBOL));
    }

    @Test
    void statisticsFollowEveryTradeOfTheDay() {
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 100, "10.00"));
        assertEquals(List.of(1000L, 1000L, 1000L, 100L, 100_000L, 1L), dayStats(SYMBOL));

        given(alice.sells(3, 100, "10.05"), alice.sells(4, 100, "10.06"), carol.buys(5, 200, "10.06"));
        assertEquals(List.of(1000L, 1006L, 1000L, 300L, 301_100L, 3L), dayStats(SYMBOL),
                "a taker sweeping two levels makes two trades");

        given(dave.buys(6, 300, "9.95"), alice.sells(7, 50, "9.95"));
        assertEquals(List.of(1000L, 1006L, 995L, 350L, 350_850L, 4L), dayStats(SYMBOL));
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), dayStats(SZ_MAIN), "each symbol has its own");
    }

    @Test
    void statisticsStartOverAtTheDayEndWhileLastAndReferenceCarryOn() {
        given(alice.sells(1, 100, "10.20"), bob.buys(2, 100, "10.20"));
        givenClockReaches("2024-03-04T14:59:59.999");
        assertEquals(List.of(1020L, 1020L, 1020L, 100L, 102_000L, 1L), dayStats(SYMBOL));

        givenClockReaches("2024-03-04T15:00");
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), dayStats(SYMBOL));
        BookSnapshot b = engine().bookSnapshot(0, 0, SYMBOL, false);
        assertEquals(1020, b.last());
        assertEquals(1020, b.reference());

        at("2024-03-04T15:30");
        given(alice.sells(3, 100, "10.10"), bob.buys(4, 100, "10.10"));
        assertEquals(List.of(1010L, 1010L, 1010L, 100L, 101_000L, 1L), dayStats(SYMBOL), "the next day's open");
    }

    @Test
    void theCommandThatCrossesTheDayEndTradesIntoTheNewDay() {
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 100, "10.00"), alice.sells(3, 100, "10.01"));
        at("2024-03-04T15:00:01");
        given(carol.buys(4, 100, "10.01"));
        assertEquals(List.of(1001L, 1001L, 1001L, 100L, 100_100L, 1L), dayStats(SYMBOL));
    }

    @Test
    void auctionUncrossTradesCountAndTheAShareCloseResetsThem() {
        calendar = new AShareCalendar(Set.of());
        at("2024-03-04T09:16");
        given(alice.sells(1, 200, "10.00"), bob.buys(2, 300, "10.00"));
        givenClockReaches("2024-03-04T09:25");
        assertEquals(1000, lastTradePrice(), "uncrossed at 10.00");
        assertEquals(List.of(1000L, 1000L, 1000L, 200L, 200_000L, 1L), dayStats(SYMBOL));

        at("2024-03-04T10:00");
        given(dave.sells(3, 100, "10.02"), carol.buys(4, 100, "10.02"));
        assertEquals(List.of(1000L, 1002L, 1000L, 300L, 300_200L, 2L), dayStats(SYMBOL), "continuous trades add up");

        givenClockReaches("2024-03-04T15:00");
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), dayStats(SYMBOL));
    }
}
