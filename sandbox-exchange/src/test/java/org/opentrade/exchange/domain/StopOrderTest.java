package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.ResultCode;

/**
 * Stop and stop-limit orders: triggered by the last trade price (buys at or above the stop, sells
 * at or below), then matched as market or limit orders; triggers cascade.
 */
class StopOrderTest extends ExchangeScenario {

    @Test
    void buyStopWaitsOutOfTheBookUntilTheLastTradeReachesItsStop() {
        given(alice.buysStop(1, 100, "10.05"),
                bob.sells(2, 100, "10.00"), bob.sells(3, 100, "10.05"), bob.sells(4, 200, "10.10"));
        thenBook("SELL 2 100@10.00", "SELL 3 100@10.05", "SELL 4 200@10.10");
        assertNotNull(engine().order(1), "the stop is live while it waits");

        when(carol.buys(5, 100, "10.00"));
        then("ACCEPTED 5 BUY 100@10.00", "TRADE 5x2 100@10.00 leaves 0");

        when(carol.buys(6, 50, "10.05"));
        then("ACCEPTED 6 BUY 50@10.05",
                "TRADE 6x3 50@10.05 leaves 0",
                "TRIGGERED 1 BUY 100@MKT",
                "TRADE 1x3 50@10.05 leaves 50",
                "TRADE 1x4 50@10.10 leaves 0");
        thenBook("SELL 4 150@10.10");
        assertNull(engine().order(1));
    }

    @Test
    void buyStopTriggersWhenATradeJumpsAboveItsStop() {
        given(alice.buysStop(1, 100, "10.02"), bob.sells(2, 100, "10.05"), bob.sells(3, 100, "10.06"));
        when(carol.buys(4, 50, "10.05"));
        then("ACCEPTED 4 BUY 50@10.05",
                "TRADE 4x2 50@10.05 leaves 0",
                "TRIGGERED 1 BUY 100@MKT",
                "TRADE 1x2 50@10.05 leaves 50",
                "TRADE 1x3 50@10.06 leaves 0");
    }

    @Test
    void sellStopTriggersWhenTheLastTradeFallsToItsStopButNotAbove() {
        given(alice.sellsStop(1, 100, "9.95"),
                bob.buys(2, 100, "10.00"), bob.buys(3, 100, "9.95"), bob.buys(4, 100, "9.90"));
        when(carol.sells(5, 100, "10.00"));
        then("ACCEPTED 5 SELL 100@10.00", "TRADE 5x2 100@10.00 leaves 0");

        when(carol.sells(6, 50, "9.95"));
        then("ACCEPTED 6 SELL 50@9.95",
                "TRADE 6x3 50@9.95 leaves 0",
                "TRIGGERED 1 SELL 100@MKT",
                "TRADE 1x3 50@9.95 leaves 50",
                "TRADE 1x4 50@9.90 leaves 0");
    }

    @Test
    void buyStopIgnoresTradesBelowItsStopAndSellStopTradesAboveIt() {
        given(alice.buysStop(1, 100, "10.01"), alice.sellsStop(2, 100, "9.99"), bob.sells(3, 100, "10.00"));
        when(carol.buys(4, 100, "10.00"));
        then("ACCEPTED 4 BUY 100@10.00", "TRADE 4x3 100@10.00 leaves 0");
        assertNotNull(engine().order(1));
        assertNotNull(engine().order(2));
    }

    @Test
    void stopNeverTriggersBeforeTheFirstTradeOfItsBook() {
        when(alice.buysStop(1, 100, "0.01"));
        then("ACCEPTED 1 BUY 100@MKT STOP 0.01");
        when(bob.sells(2, 100, "10.00"));
        then("ACCEPTED 2 SELL 100@10.00");
        thenBook("SELL 2 100@10.00");
    }

    @Test
    void stopEnteredWhenTheLastPriceIsAlreadyBeyondItTriggersAtOnce() {
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 100, "10.00"), alice.sells(3, 100, "10.10"));
        when(carol.buysStop(4, 100, "9.90"));
        then("ACCEPTED 4 BUY 100@MKT STOP 9.90",
                "TRIGGERED 4 BUY 100@MKT",
                "TRADE 4x3 100@10.10 leaves 0");
    }

    @Test
    void triggeredStopCancelsWhatTheBookCannotFill() {
        given(alice.buysStop(1, 300, "10.00"), bob.sells(2, 200, "10.00"));
        when(carol.buys(3, 100, "10.00"));
        then("ACCEPTED 3 BUY 100@10.00",
                "TRADE 3x2 100@10.00 leaves 0",
                "TRIGGERED 1 BUY 300@MKT",
                "TRADE 1x2 100@10.00 leaves 200",
                "CANCELED 1 200");
        thenBookIsEmpty();
    }

    @Test
    void triggeredStopLimitTradesUpToItsLimitAndRestsTheRest() {
        given(alice.buysStopLimit(1, 300, "10.05", "10.06"),
                bob.sells(2, 100, "10.05"), bob.sells(3, 100, "10.06"), bob.sells(4, 100, "10.07"));
        when(carol.buys(5, 50, "10.05"));
        then("ACCEPTED 5 BUY 50@10.05",
                "TRADE 5x2 50@10.05 leaves 0",
                "TRIGGERED 1 BUY 300@10.06",
                "TRADE 1x2 50@10.05 leaves 250",
                "TRADE 1x3 100@10.06 leaves 150");
        thenBook("BUY 1 150@10.06", "SELL 4 100@10.07");
        when(alice.replaces(1, 200, "10.06"));
        then("REPLACED 1 200@10.06 leaves 50");
    }

    @Test
    void sellStopLimitBecomesARestingLimitWhenNothingFillsIt() {
        given(alice.sellsStopLimit(1, 100, "9.90", "9.95"), bob.buys(2, 100, "9.90"));
        when(carol.sells(3, 50, "9.90"));
        then("ACCEPTED 3 SELL 50@9.90",
                "TRADE 3x2 50@9.90 leaves 0",
                "TRIGGERED 1 SELL 100@9.95");
        thenBook("BUY 2 50@9.90", "SELL 1 100@9.95");
    }

    @Test
    void stopsCascadeEachTriggeredByTheTradesOfThePreviousOne() {
        given(bob.sells(1, 100, "10.00"), bob.sells(2, 100, "10.10"), bob.sells(3, 100, "10.20"),
                bob.sells(4, 100, "10.30"),
                alice.buysStop(11, 100, "10.10"), carol.buysStop(12, 100, "10.20"),
                dave.buysStopLimit(13, 100, "10.30", "10.30"), dave.sellsStop(14, 100, "9.00"));
        when(carol.buys(5, 150, "10.10"));
        then("ACCEPTED 5 BUY 150@10.10",
                "TRADE 5x1 100@10.00 leaves 50",
                "TRADE 5x2 50@10.10 leaves 0",
                "TRIGGERED 11 BUY 100@MKT",
                "TRADE 11x2 50@10.10 leaves 50",
                "TRADE 11x3 50@10.20 leaves 0",
                "TRIGGERED 12 BUY 100@MKT",
                "TRADE 12x3 50@10.20 leaves 50",
                "TRADE 12x4 50@10.30 leaves 0",
                "TRIGGERED 13 BUY 100@10.30",
                "TRADE 13x4 50@10.30 leaves 50");
        thenBook("BUY 13 50@10.30");
        assertNotNull(engine().order(14), "the sell stop far below is untouched");
    }

    @Test
    void severalBuyStopsFiringTogetherGoLowestStopFirstThenByArrival() {
        given(alice.buysStop(1, 100, "10.05"), bob.buysStop(2, 100, "10.03"), carol.buysStop(3, 100, "10.03"),
                dave.sells(4, 100, "10.10"));
        when(dave.buys(5, 100, "10.10"));
        then("ACCEPTED 5 BUY 100@10.10",
                "TRADE 5x4 100@10.10 leaves 0",
                "TRIGGERED 2 BUY 100@MKT", "CANCELED 2 100",
                "TRIGGERED 3 BUY 100@MKT", "CANCELED 3 100",
                "TRIGGERED 1 BUY 100@MKT", "CANCELED 1 100");
    }

    @Test
    void severalSellStopsFiringTogetherGoHighestStopFirst() {
        given(alice.sellsStop(1, 100, "9.90"), bob.sellsStop(2, 100, "9.95"), dave.buys(3, 100, "9.80"));
        when(carol.sells(4, 100, "9.80"));
        then("ACCEPTED 4 SELL 100@9.80",
                "TRADE 4x3 100@9.80 leaves 0",
                "TRIGGERED 2 SELL 100@MKT", "CANCELED 2 100",
                "TRIGGERED 1 SELL 100@MKT", "CANCELED 1 100");
    }

    @Test
    void canceledStopNeverTriggers() {
        given(alice.buysStop(1, 100, "10.00"), bob.sells(2, 200, "10.00"));
        when(alice.cancels(1));
        then("CANCELED 1 100");
        when(carol.buys(3, 100, "10.00"));
        then("ACCEPTED 3 BUY 100@10.00", "TRADE 3x2 100@10.00 leaves 0");
        assertEquals(1, engine().liveOrders(), "only the rest of order 2 is live");
    }

    @Test
    void untriggeredStopCannotBeReplaced() {
        given(alice.buysStopLimit(1, 100, "10.00", "10.01"));
        when(alice.replaces(1, 100, "10.02"));
        thenRejected(1, ResultCode.ORDER_NOT_REPLACEABLE);
    }

    @Test
    void stopIdIsTakenWhileTheStopWaits() {
        given(alice.buysStop(1, 100, "10.00"));
        when(bob.buys(1, 100, "9.00"));
        thenRejected(1, ResultCode.DUPLICATE_ORDER_ID);
    }

    @Test
    void tradesOfAnotherSymbolDoNotTriggerAStop() {
        given(alice.buysStop(1, 100, "10.00"), bob.sells(2, 100, "10.00").on("000001.SZ"));
        when(carol.buys(3, 100, "10.00").on("000001.SZ"));
        then("ACCEPTED 3 BUY 100@10.00", "TRADE 3x2 100@10.00 leaves 0");
        assertNotNull(engine().order(1));
    }
}
