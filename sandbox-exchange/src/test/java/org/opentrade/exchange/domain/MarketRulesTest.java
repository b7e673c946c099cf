package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentrade.exchange.domain.TestInstruments.CHINEXT;
import static org.opentrade.exchange.domain.TestInstruments.STAR;
import static org.opentrade.exchange.domain.TestInstruments.SZ_MAIN;
import static org.opentrade.exchange.domain.TestInstruments.TICK5;

import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.ResultCode;

/**
 * Market rules of the live sandbox ({@link MatchingEngine#withRules}): tick, board lot, maximum
 * order size, daily price band, known symbols, unique live ids and self-trade prevention. Every
 * rejection names its exact {@link ResultCode}.
 */
class MarketRulesTest extends ExchangeScenario {

    @Override
    protected MatchingEngine newEngine() {
        return MatchingEngine.withRules(TestInstruments.catalog(), new ContinuousCalendar());
    }

    @Test
    void priceOffTheTickIsRejected() {
        when(alice.buys(1, 100, "10.03").on(TICK5));
        thenRejected(1, ResultCode.PRICE_NOT_ON_TICK);
        when(alice.buys(2, 100, "10.05").on(TICK5));
        then("ACCEPTED 2 BUY 100@10.05");
    }

    @Test
    void stopPriceOffTheTickIsRejected() {
        when(alice.buysStop(1, 100, "10.01").on(TICK5));
        thenRejected(1, ResultCode.PRICE_NOT_ON_TICK);
    }

    @Test
    void replaceToAPriceOffTheTickIsRejected() {
        given(alice.buys(1, 100, "10.00").on(TICK5));
        when(alice.replaces(1, 100, "10.01").on(TICK5));
        thenRejected(1, ResultCode.PRICE_NOT_ON_TICK);
    }

    @Test
    void buyQuantityThatIsNotAWholeBoardLotIsRejected() {
        when(alice.buys(1, 150, "10.00"));
        thenRejected(1, ResultCode.QTY_NOT_BOARD_LOT);
        when(alice.buysAtMarket(2, 99));
        thenRejected(2, ResultCode.QTY_NOT_BOARD_LOT);
    }

    @Test
    void sellOfAnOddLotIsAccepted() {
        when(alice.sells(1, 150, "10.00"));
        then("ACCEPTED 1 SELL 150@10.00");
        when(bob.buys(2, 200, "10.00"));
        then("ACCEPTED 2 BUY 200@10.00", "TRADE 2x1 150@10.00 leaves 50");
    }

    @Test
    void replaceOfABuyToAnOddLotIsRejectedButASellMayGoOdd() {
        given(alice.buys(1, 200, "9.99"), bob.sells(2, 200, "10.01"));
        when(alice.replaces(1, 150, "9.99"));
        thenRejected(1, ResultCode.QTY_NOT_BOARD_LOT);
        when(bob.replaces(2, 150, "10.01"));
        then("REPLACED 2 150@10.01 leaves 150");
    }

    @Test
    void quantityAboveTheMaximumOrderSizeIsRejected() {
        when(alice.buys(1, 1_000_100, "10.00"));
        thenRejected(1, ResultCode.QTY_TOO_LARGE);
        when(alice.sells(2, 1_000_001, "10.00"));
        thenRejected(2, ResultCode.QTY_TOO_LARGE);
        when(alice.buys(3, 1_000_000, "10.00"));
        then("ACCEPTED 3 BUY 1000000@10.00");
    }

    @Test
    void maximumOrderSizeIsPerInstrument() {
        when(alice.buys(1, 5_100, "10.00").on(TICK5));
        thenRejected(1, ResultCode.QTY_TOO_LARGE);
        when(alice.buys(2, 5_000, "10.00").on(TICK5));
        then("ACCEPTED 2 BUY 5000@10.00");
    }

    @Test
    void replaceAboveTheMaximumOrderSizeIsRejected() {
        given(alice.buys(1, 100, "10.00"));
        when(alice.replaces(1, 1_000_100, "10.00"));
        thenRejected(1, ResultCode.QTY_TOO_LARGE);
    }

    @Test
    void mainBoardBandIsTenPercentAroundThePreviousClose() {
        when(alice.buys(1, 100, "11.01"));
        thenRejected(1, ResultCode.PRICE_OUTSIDE_BAND);
        when(alice.sells(2, 100, "8.99"));
        thenRejected(2, ResultCode.PRICE_OUTSIDE_BAND);
        given(alice.buys(3, 100, "11.00"), alice.sells(4, 100, "9.00").on(TICK5), bob.sells(5, 100, "9.00"));
    }

    @Test
    void limitUpAndLimitDownRoundHalfUpToTheTick() {
        // previous close 10.05: 11.055 -> 11.06 and 9.045 -> 9.05
        given(alice.sells(1, 100, "11.06").on(SZ_MAIN), alice.buys(2, 100, "9.05").on(SZ_MAIN));
        when(bob.buys(3, 100, "11.07").on(SZ_MAIN));
        thenRejected(3, ResultCode.PRICE_OUTSIDE_BAND);
        when(bob.sells(4, 100, "9.04").on(SZ_MAIN));
        thenRejected(4, ResultCode.PRICE_OUTSIDE_BAND);
    }

    @Test
    void starMarketBandIsTwentyPercent() {
        given(alice.sells(1, 100, "12.06").on(STAR), alice.buys(2, 100, "8.04").on(STAR));
        when(bob.buys(3, 100, "12.07").on(STAR));
        thenRejected(3, ResultCode.PRICE_OUTSIDE_BAND);
        when(bob.sells(4, 100, "8.03").on(STAR));
        thenRejected(4, ResultCode.PRICE_OUTSIDE_BAND);
    }

    @Test
    void chiNextBandIsTwentyPercentRoundedToTheTick() {
        // previous close 25.03: 30.036 -> 30.04 and 20.024 -> 20.02
        given(alice.sells(1, 100, "30.04").on(CHINEXT), alice.buys(2, 100, "20.02").on(CHINEXT));
        when(bob.buys(3, 100, "30.05").on(CHINEXT));
        thenRejected(3, ResultCode.PRICE_OUTSIDE_BAND);
        when(bob.sells(4, 100, "20.01").on(CHINEXT));
        thenRejected(4, ResultCode.PRICE_OUTSIDE_BAND);
    }

    @Test
    void bandLimitsArePureArithmeticOnTheReference() {
        assertEquals(1106, Instrument.upperLimit(1005, 10, 1));
        assertEquals(905, Instrument.lowerLimit(1005, 10, 1));
        assertEquals(1101, Instrument.upperLimit(1001, 10, 1));
        assertEquals(901, Instrument.lowerLimit(1001, 10, 1));
        assertEquals(1105, Instrument.upperLimit(1005, 10, 5), "rounded down onto a 0.05 tick");
        assertEquals(905, Instrument.lowerLimit(1003, 10, 5), "9.027 -> 9.03 -> up to 9.05");
    }

    @Test
    void stopPriceOutsideTheBandIsRejected() {
        when(alice.buysStop(1, 100, "11.01"));
        thenRejected(1, ResultCode.PRICE_OUTSIDE_BAND);
    }

    @Test
    void replaceToAPriceOutsideTheBandIsRejected() {
        given(alice.buys(1, 100, "10.00"));
        when(alice.replaces(1, 100, "8.99"));
        thenRejected(1, ResultCode.PRICE_OUTSIDE_BAND);
        thenBook("BUY 1 100@10.00");
    }

    @Test
    void marketOrdersHaveNoPriceToCheckAgainstTheBand() {
        given(alice.sells(1, 100, "11.00"));
        when(bob.buysAtMarket(2, 100));
        then("ACCEPTED 2 BUY 100@MKT", "TRADE 2x1 100@11.00 leaves 0");
    }

    @Test
    void unknownSymbolIsRejected() {
        when(alice.buys(1, 100, "10.00").on("999999.SH"));
        thenRejected(1, ResultCode.UNKNOWN_SYMBOL);
        when(alice.buysAtMarket(2, 100).on("600000.sh"));
        thenRejected(2, ResultCode.UNKNOWN_SYMBOL);
    }

    @Test
    void duplicateLiveOrderIdIsRejected() {
        given(alice.buys(1, 100, "9.90"));
        when(bob.sells(1, 100, "10.10"));
        thenRejected(1, ResultCode.DUPLICATE_ORDER_ID);
        when(alice.buys(1, 100, "9.90").on(SZ_MAIN));
        thenRejected(1, ResultCode.DUPLICATE_ORDER_ID);
        thenBook("BUY 1 100@9.90");
    }

    @Test
    void selfTradePreventionCancelsTheTakersRemainder() {
        given(bob.sells(1, 100, "10.00"), alice.sells(2, 100, "10.01"), carol.sells(3, 100, "10.01"));
        when(alice.buys(4, 300, "10.02"));
        then("ACCEPTED 4 BUY 300@10.02",
                "TRADE 4x1 100@10.00 leaves 200",
                "CANCELED 4 200");
        thenBook("SELL 2 100@10.01", "SELL 3 100@10.01");
    }

    @Test
    void selfTradePreventionAppliesToMarketOrders() {
        given(alice.buys(1, 100, "10.00"), bob.buys(2, 100, "10.00"));
        when(alice.sellsAtMarket(3, 200));
        then("ACCEPTED 3 SELL 200@MKT", "CANCELED 3 200");
        thenBook("BUY 1 100@10.00", "BUY 2 100@10.00");
    }

    @Test
    void fokThatCouldOnlyFillAgainstItsOwnAccountExpires() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.01"));
        when(alice.buys(3, 100, "10.01").fok());
        then("ACCEPTED 3 BUY 100@10.01", "EXPIRED 3 100");
        thenBook("SELL 1 100@10.00", "SELL 2 100@10.01");
    }

    @Test
    void fokThatFillsBeforeReachingItsOwnOrderTrades() {
        given(bob.sells(1, 100, "10.00"), alice.sells(2, 100, "10.00"));
        when(alice.buys(3, 100, "10.00").fok());
        then("ACCEPTED 3 BUY 100@10.00", "TRADE 3x1 100@10.00 leaves 0");
    }

    @Test
    void ordersThatPassEveryRuleTradeNormally() {
        given(alice.sells(1, 300, "10.00"));
        when(bob.buys(2, 200, "10.00"));
        then("ACCEPTED 2 BUY 200@10.00", "TRADE 2x1 200@10.00 leaves 0");
    }
}
