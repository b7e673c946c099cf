package org.opentrade.exchange.domain;

import org.junit.jupiter.api.Test;

/** Market orders, IOC and FOK: what happens to the part that does not fill at once (pure matching). */
class TimeInForceTest extends ExchangeScenario {

    @Test
    void marketOrderRemainderIsCanceled() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.05"));
        when(carol.buysAtMarket(3, 500));
        then("ACCEPTED 3 BUY 500@MKT",
                "TRADE 3x1 100@10.00 leaves 400",
                "TRADE 3x2 100@10.05 leaves 300",
                "CANCELED 3 300");
        thenBookIsEmpty();
    }

    @Test
    void marketOrderOnAnEmptySideIsCanceledWhole() {
        given(alice.buys(1, 100, "10.00"));
        when(bob.buysAtMarket(2, 100));
        then("ACCEPTED 2 BUY 100@MKT", "CANCELED 2 100");
        thenBook("BUY 1 100@10.00");
    }

    @Test
    void marketSellTakesBidsAtAnyPrice() {
        given(alice.buys(1, 100, "10.00"), bob.buys(2, 100, "0.01"));
        when(carol.sellsAtMarket(3, 200));
        then("ACCEPTED 3 SELL 200@MKT",
                "TRADE 3x1 100@10.00 leaves 100",
                "TRADE 3x2 100@0.01 leaves 0");
    }

    @Test
    void marketOrderMarkedGtcStillNeverRests() {
        given(alice.sells(1, 100, "10.00"));
        when(bob.buysAtMarket(2, 300).gtc());
        then("ACCEPTED 2 BUY 300@MKT", "TRADE 2x1 100@10.00 leaves 200", "CANCELED 2 200");
        thenBookIsEmpty();
    }

    @Test
    void iocRemainderIsCanceled() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.02"));
        when(carol.buys(3, 300, "10.01").ioc());
        then("ACCEPTED 3 BUY 300@10.01", "TRADE 3x1 100@10.00 leaves 200", "CANCELED 3 200");
        thenBook("SELL 2 100@10.02");
    }

    @Test
    void iocThatCannotTradeIsCanceledWhole() {
        given(alice.sells(1, 100, "10.02"));
        when(bob.buys(2, 100, "10.01").ioc());
        then("ACCEPTED 2 BUY 100@10.01", "CANCELED 2 100");
        thenBook("SELL 1 100@10.02");
    }

    @Test
    void iocThatFillsCompletelyHasNothingToCancel() {
        given(alice.sells(1, 100, "10.00"));
        when(bob.buys(2, 100, "10.00").ioc());
        then("ACCEPTED 2 BUY 100@10.00", "TRADE 2x1 100@10.00 leaves 0");
    }

    @Test
    void fokThatCannotFillCompletelyExpiresWithoutAnyTrade() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.01"));
        when(carol.buys(3, 201, "10.01").fok());
        then("ACCEPTED 3 BUY 201@10.01", "EXPIRED 3 201");
        thenBook("SELL 1 100@10.00", "SELL 2 100@10.01");
    }

    @Test
    void fokCountsOnlyLiquidityWithinItsLimit() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 500, "10.02"));
        when(carol.buys(3, 200, "10.01").fok());
        then("ACCEPTED 3 BUY 200@10.01", "EXPIRED 3 200");
        thenBook("SELL 1 100@10.00", "SELL 2 500@10.02");
    }

    @Test
    void fokThatCanFillCompletelyFillsAcrossLevels() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.01"), carol.sells(3, 100, "10.01"));
        when(dave.buys(4, 250, "10.01").fok());
        then("ACCEPTED 4 BUY 250@10.01",
                "TRADE 4x1 100@10.00 leaves 150",
                "TRADE 4x2 100@10.01 leaves 50",
                "TRADE 4x3 50@10.01 leaves 0");
        thenBook("SELL 3 50@10.01");
    }

    @Test
    void fokForExactlyTheAvailableQuantityFills() {
        given(alice.buys(1, 100, "10.00"), bob.buys(2, 100, "9.99"));
        when(carol.sells(3, 200, "9.99").fok());
        then("ACCEPTED 3 SELL 200@9.99", "TRADE 3x1 100@10.00 leaves 100", "TRADE 3x2 100@9.99 leaves 0");
        thenBookIsEmpty();
    }

    @Test
    void fokOnAnEmptyBookExpires() {
        when(alice.sells(1, 100, "9.99").fok());
        then("ACCEPTED 1 SELL 100@9.99", "EXPIRED 1 100");
        thenBookIsEmpty();
    }

    @Test
    void marketFokThatCannotFillExpires() {
        given(alice.sells(1, 100, "10.00"));
        when(bob.buysAtMarket(2, 101).fok());
        then("ACCEPTED 2 BUY 101@MKT", "EXPIRED 2 101");
        thenBook("SELL 1 100@10.00");
    }
}
