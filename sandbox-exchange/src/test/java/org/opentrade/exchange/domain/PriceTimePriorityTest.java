package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

/** Price-time priority, the maker's price, partial fills and resting limit orders (pure matching). */
class PriceTimePriorityTest extends ExchangeScenario {

    @Test
    void earlierOrderAtTheSamePriceTradesFirst() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.00"));
        when(carol.buys(3, 150, "10.00"));
        then("ACCEPTED 3 BUY 150@10.00",
                "TRADE 3x1 100@10.00 leaves 50",
                "TRADE 3x2 50@10.00 leaves 0");
        thenBook("SELL 2 50@10.00");
    }

    @Test
    void betterPriceTradesBeforeAnEarlierWorsePrice() {
        given(alice.sells(1, 100, "10.02"), bob.sells(2, 100, "10.01"), carol.sells(3, 100, "10.00"));
        when(dave.buys(4, 300, "10.02"));
        then("ACCEPTED 4 BUY 300@10.02",
                "TRADE 4x3 100@10.00 leaves 200",
                "TRADE 4x2 100@10.01 leaves 100",
                "TRADE 4x1 100@10.02 leaves 0");
        thenBookIsEmpty();
    }

    @Test
    void bidsAreServedHighestFirstThenByArrival() {
        given(alice.buys(1, 100, "9.98"), bob.buys(2, 100, "9.99"), carol.buys(3, 100, "9.99"));
        thenBook("BUY 2 100@9.99", "BUY 3 100@9.99", "BUY 1 100@9.98");
        when(dave.sells(4, 250, "9.98"));
        then("ACCEPTED 4 SELL 250@9.98",
                "TRADE 4x2 100@9.99 leaves 150",
                "TRADE 4x3 100@9.99 leaves 50",
                "TRADE 4x1 50@9.98 leaves 0");
        thenBook("BUY 1 50@9.98");
    }

    @Test
    void aBuyTradesAtTheRestingSellersPriceNotItsOwnLimit() {
        given(alice.sells(1, 100, "10.00"));
        when(bob.buys(2, 100, "10.50"));
        then("ACCEPTED 2 BUY 100@10.50", "TRADE 2x1 100@10.00 leaves 0");
        assertEquals(1000, lastTradePrice());
    }

    @Test
    void aSellTradesAtTheRestingBuyersPrice() {
        given(alice.buys(1, 100, "10.50"));
        when(bob.sells(2, 100, "10.00"));
        then("ACCEPTED 2 SELL 100@10.00", "TRADE 2x1 100@10.50 leaves 0");
        assertEquals(1050, lastTradePrice());
    }

    @Test
    void takerLargerThanTheBookRestsItsRemainderAtItsLimit() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.01"));
        when(carol.buys(3, 500, "10.01"));
        then("ACCEPTED 3 BUY 500@10.01",
                "TRADE 3x1 100@10.00 leaves 400",
                "TRADE 3x2 100@10.01 leaves 300");
        thenBook("BUY 3 300@10.01");
    }

    @Test
    void partiallyFilledMakerKeepsItsPlaceAtTheFrontOfTheQueue() {
        given(alice.sells(1, 500, "10.00"), bob.sells(2, 100, "10.00"));
        when(carol.buys(3, 200, "10.00"));
        then("ACCEPTED 3 BUY 200@10.00", "TRADE 3x1 200@10.00 leaves 0");
        thenBook("SELL 1 300@10.00", "SELL 2 100@10.00");
        when(dave.buys(4, 400, "10.00"));
        then("ACCEPTED 4 BUY 400@10.00",
                "TRADE 4x1 300@10.00 leaves 100",
                "TRADE 4x2 100@10.00 leaves 0");
        thenBookIsEmpty();
    }

    @Test
    void limitOrderNeverTradesThroughItsLimit() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.02"));
        when(carol.buys(3, 200, "10.01"));
        then("ACCEPTED 3 BUY 200@10.01", "TRADE 3x1 100@10.00 leaves 100");
        thenBook("BUY 3 100@10.01", "SELL 2 100@10.02");
    }

    @Test
    void gtcLimitThatDoesNotCrossRestsUntouched() {
        given(alice.sells(1, 100, "10.01"));
        when(bob.buys(2, 100, "10.00"));
        then("ACCEPTED 2 BUY 100@10.00");
        thenBook("BUY 2 100@10.00", "SELL 1 100@10.01");
    }

    @Test
    void restingOrdersOfOneSymbolNeverMeetOrdersOfAnother() {
        given(alice.sells(1, 100, "10.00").on("000001.SZ"));
        when(bob.buys(2, 100, "10.00"));
        then("ACCEPTED 2 BUY 100@10.00");
        thenBook("BUY 2 100@10.00");
        thenBookOf("000001.SZ", "SELL 1 100@10.00");
    }

    @Test
    void exactlyMatchingQuantitiesEmptyBothSides() {
        given(alice.buys(1, 300, "10.00"));
        when(bob.sells(2, 300, "10.00"));
        then("ACCEPTED 2 SELL 300@10.00", "TRADE 2x1 300@10.00 leaves 0");
        thenBookIsEmpty();
        assertEquals(0, engine().liveOrders());
    }

    @Test
    void pureMatchingLetsAnAccountTradeWithItself() {
        given(alice.sells(1, 100, "10.00"));
        when(alice.buys(2, 100, "10.00"));
        then("ACCEPTED 2 BUY 100@10.00", "TRADE 2x1 100@10.00 leaves 0");
    }

    @Test
    void bookVisitsLevelsFromTheTouchWithTotals() {
        given(alice.buys(1, 100, "9.99"), bob.buys(2, 50, "9.99"), carol.buys(3, 70, "9.90"),
                dave.sells(4, 10, "10.05"), alice.sells(5, 20, "10.01"));
        StringBuilder bids = new StringBuilder();
        engine().book(SYMBOL).forEachLevel(Side.BUY, (p, q, n) -> {
            bids.append(p).append('x').append(q).append('/').append(n).append(' ');
            return true;
        });
        StringBuilder asks = new StringBuilder();
        engine().book(SYMBOL).forEachLevel(Side.SELL, (p, q, n) -> {
            asks.append(p).append('x').append(q).append('/').append(n).append(' ');
            return false; // stops after the first level
        });
        assertEquals("999x150/2 990x70/1 ", bids.toString());
        assertEquals("1001x20/1 ", asks.toString());
        assertEquals(999, engine().book(SYMBOL).bestPrice(Side.BUY));
        assertEquals(1001, engine().book(SYMBOL).bestPrice(Side.SELL));
        assertEquals(5, engine().book(SYMBOL).orderCount());
    }
}
