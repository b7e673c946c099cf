package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.ResultCode;

/** Cancel and cancel/replace with the replay contract's priority rules (pure matching). */
class CancelReplaceTest extends ExchangeScenario {

    @Test
    void cancelTakesARestingOrderOutOfTheBook() {
        given(alice.buys(1, 100, "10.00"), bob.buys(2, 100, "10.00"));
        when(alice.cancels(1));
        then("CANCELED 1 100");
        thenBook("BUY 2 100@10.00");
    }

    @Test
    void cancelOfAPartiallyFilledOrderCancelsOnlyTheRemainder() {
        given(alice.buys(1, 300, "10.00"), bob.sells(2, 120, "10.00"));
        when(alice.cancels(1));
        then("CANCELED 1 180");
        thenBookIsEmpty();
    }

    @Test
    void cancelOfFilledOrderIsRejected() {
        given(alice.buys(1, 100, "10.00"), bob.sells(2, 100, "10.00"));
        when(alice.cancels(1));
        thenRejected(1, ResultCode.UNKNOWN_ORDER);
    }

    @Test
    void cancelOfUnknownOrderIsRejected() {
        when(alice.cancels(42));
        thenRejected(42, ResultCode.UNKNOWN_ORDER);
    }

    @Test
    void secondCancelOfTheSameOrderIsRejected() {
        given(alice.buys(1, 100, "10.00"), alice.cancels(1));
        when(alice.cancels(1));
        thenRejected(1, ResultCode.UNKNOWN_ORDER);
    }

    @Test
    void cancelOfAnIocRemainderIsRejectedBecauseItNeverRested() {
        given(alice.buys(1, 100, "10.00").ioc());
        when(alice.cancels(1));
        thenRejected(1, ResultCode.UNKNOWN_ORDER);
    }

    @Test
    void cancelFromAnotherAccountIsRejected() {
        given(alice.buys(1, 100, "10.00"));
        when(bob.cancels(1));
        thenRejected(1, ResultCode.UNKNOWN_ORDER);
        thenBook("BUY 1 100@10.00");
    }

    @Test
    void cancelNamingAnotherSymbolIsRejected() {
        given(alice.buys(1, 100, "10.00"));
        when(alice.cancels(1).on("000001.SZ"));
        thenRejected(1, ResultCode.UNKNOWN_ORDER);
        thenBook("BUY 1 100@10.00");
    }

    @Test
    void replaceOfUnknownOrderIsRejected() {
        when(alice.replaces(7, 100, "10.00"));
        thenRejected(7, ResultCode.UNKNOWN_ORDER);
    }

    @Test
    void replaceOfFilledOrderIsRejected() {
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 100, "10.00"));
        when(alice.replaces(1, 50, "10.00"));
        thenRejected(1, ResultCode.UNKNOWN_ORDER);
    }

    @Test
    void replaceLoweringQuantityKeepsTimePriority() {
        given(alice.sells(1, 300, "10.00"), bob.sells(2, 100, "10.00"));
        when(alice.replaces(1, 200, "10.00"));
        then("REPLACED 1 200@10.00 leaves 200");
        thenBook("SELL 1 200@10.00", "SELL 2 100@10.00");
        when(carol.buys(3, 250, "10.00"));
        then("ACCEPTED 3 BUY 250@10.00", "TRADE 3x1 200@10.00 leaves 50", "TRADE 3x2 50@10.00 leaves 0");
    }

    @Test
    void replaceToTheSameQuantityAndPriceKeepsTimePriority() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.00"));
        when(alice.replaces(1, 100, "10.00"));
        then("REPLACED 1 100@10.00 leaves 100");
        thenBook("SELL 1 100@10.00", "SELL 2 100@10.00");
    }

    @Test
    void replaceIncreasingQuantityLosesTimePriority() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.00"));
        when(alice.replaces(1, 101, "10.00"));
        then("REPLACED 1 101@10.00 leaves 101");
        thenBook("SELL 2 100@10.00", "SELL 1 101@10.00");
        when(carol.buys(3, 100, "10.00"));
        then("ACCEPTED 3 BUY 100@10.00", "TRADE 3x2 100@10.00 leaves 0");
    }

    @Test
    void replaceChangingPriceLosesTimePriorityEvenWhenQuantityDrops() {
        given(alice.sells(1, 100, "10.01"), bob.sells(2, 100, "10.00"));
        when(alice.replaces(1, 50, "10.00"));
        then("REPLACED 1 50@10.00 leaves 50");
        thenBook("SELL 2 100@10.00", "SELL 1 50@10.00");
    }

    @Test
    void replaceAwayAndBackStillLosesTimePriority() {
        given(alice.buys(1, 100, "10.00"), bob.buys(2, 100, "10.00"), alice.replaces(1, 100, "9.99"));
        when(alice.replaces(1, 100, "10.00"));
        then("REPLACED 1 100@10.00 leaves 100");
        thenBook("BUY 2 100@10.00", "BUY 1 100@10.00");
    }

    @Test
    void replaceThatCrossesMatchesLikeANewOrderAtTheMakersPrice() {
        given(alice.sells(1, 100, "10.01"), bob.sells(2, 100, "10.02"), carol.buys(3, 300, "10.00"));
        when(carol.replaces(3, 300, "10.05"));
        then("REPLACED 3 300@10.05 leaves 300",
                "TRADE 3x1 100@10.01 leaves 200",
                "TRADE 3x2 100@10.02 leaves 100");
        thenBook("BUY 3 100@10.05");
    }

    @Test
    void replaceThatCrossesIsAMakerForLaterOrdersOnlyAfterMatching() {
        given(alice.sells(1, 100, "10.01"), carol.buys(3, 100, "10.00"));
        when(carol.replaces(3, 60, "10.01"));
        then("REPLACED 3 60@10.01 leaves 60", "TRADE 3x1 60@10.01 leaves 0");
        thenBook("SELL 1 40@10.01");
    }

    @Test
    void replaceOfAPartiallyFilledOrderSetsTheNewTotalQuantity() {
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 40, "10.00"));
        when(alice.replaces(1, 60, "10.00"));
        then("REPLACED 1 60@10.00 leaves 20");
        thenBook("SELL 1 20@10.00");
        when(alice.cancels(1));
        then("CANCELED 1 20");
    }

    @Test
    void replaceToTheFilledQuantityIsRejected() {
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 40, "10.00"));
        when(alice.replaces(1, 40, "10.00"));
        thenRejected(1, ResultCode.REPLACE_QTY_NOT_ABOVE_FILLED);
        thenBook("SELL 1 60@10.00");
    }

    @Test
    void replaceBelowTheFilledQuantityIsRejected() {
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 40, "10.00"));
        when(alice.replaces(1, 39, "10.05"));
        thenRejected(1, ResultCode.REPLACE_QTY_NOT_ABOVE_FILLED);
        thenBook("SELL 1 60@10.00");
    }

    @Test
    void replaceFromAnotherAccountIsRejected() {
        given(alice.sells(1, 100, "10.00"));
        when(bob.replaces(1, 50, "10.00"));
        thenRejected(1, ResultCode.UNKNOWN_ORDER);
    }

    @Test
    void rejectedReplaceLeavesTheOrderAndItsPriorityAlone() {
        given(alice.sells(1, 100, "10.00"), bob.sells(2, 100, "10.00"));
        String before = engine().stateHash();
        when(alice.replaces(1, 0, "10.01"));
        thenRejected(1, ResultCode.QTY_NOT_POSITIVE);
        assertEquals(before, engine().stateHash());
        thenBook("SELL 1 100@10.00", "SELL 2 100@10.00");
    }

    @Test
    void replacedOrderCanBeReplacedAgainAndCanceled() {
        given(alice.buys(1, 100, "9.00"), alice.replaces(1, 200, "9.50"), alice.replaces(1, 150, "9.50"));
        thenBook("BUY 1 150@9.50");
        when(alice.cancels(1));
        then("CANCELED 1 150");
    }
}
