package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.FeeSchedule;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.OrderStatus;

/** Order statuses, fills and fees as the real matching engine's events drive them. */
class LedgerOrderLifecycleTest {
    static final String S = "600000.SH";
    static final long START = 100_000_000L;
    static final long T = 1_767_600_000_000L;

    final ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS);
    final Ledger ledger = x.ledger;

    /** Given alice's account with the starting balance. */
    void alice() {
        x.open("alice", START, T);
    }

    static List<OrderStatus> statuses(List<Update> us) {
        return us.stream().filter(u -> u.order() != null).map(u -> u.order().status()).toList();
    }

    static List<Fill> fills(List<Update> us) {
        return us.stream().filter(Update::isFill).map(Update::fill).toList();
    }

    static Order last(List<Update> us) {
        Order o = null;
        for (Update u : us) {
            if (u.order() != null) {
                o = u.order();
            }
        }
        return o;
    }

    long cash() {
        return ledger.account("alice", s -> 0).cash();
    }

    @Test
    void restingLimitBuyGoesPendingNewThenNewAndReservesPriceTimesQtyPlusFee() {
        alice();
        List<Update> us = x.limit("alice", 1, Side.BUY, 1000, 100, T);

        assertEquals(List.of(OrderStatus.PENDING_NEW, OrderStatus.NEW), statuses(us));
        assertEquals("1", last(us).orderId());
        assertEquals("c1", last(us).clientOrderId());
        assertEquals(100_000 + 501, ledger.reservationOf("alice", "1"));
        assertEquals(START - 100_501, ledger.buyingPower("alice"));
        assertEquals(START, cash());
        assertEquals(1, ledger.openOrderCount("alice"));
    }

    @Test
    void makerBuyFillOfHundredAtTenPaysFivePointZeroOneAndHoldsTheShares() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        List<Update> us = x.other(101, Side.SELL, 1000, 100, T + 1);

        Fill f = fills(us).get(0);
        assertEquals("0-3-m", f.fillId()); // events: 1 alice accepted, 2 mm accepted, 3 trade
        assertTrue(f.maker());
        assertEquals(501, f.fee());
        assertEquals(1000, f.price());
        assertEquals(List.of(OrderStatus.FILLED), statuses(us));
        assertEquals(START - 100_000 - 501, cash());
        assertEquals(cash(), ledger.buyingPower("alice"));
        PositionView p = ledger.position("alice", S, s -> 0, T + 1);
        assertEquals(100, p.qty());
        assertEquals(1000, p.avgCost());
        assertEquals(100_000, p.costBasis());
        assertEquals(501, ledger.account("alice", s -> 0).feesPaid());
        assertEquals(0, ledger.openOrderCount("alice"));
    }

    @Test
    void takerSellOfHundredAtTenPaysFivePointFiftyOneWithStampDuty() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        x.other(101, Side.SELL, 1000, 100, T);
        x.other(102, Side.BUY, 1000, 100, T);
        List<Update> us = x.limit("alice", 2, Side.SELL, 1000, 100, T);

        Fill f = fills(us).get(0);
        assertFalse(f.maker());
        assertTrue(f.fillId().endsWith("-t"));
        assertEquals(551, f.fee());
        AccountView v = ledger.account("alice", s -> 0);
        assertEquals(START - 501 - 551, v.cash());
        assertEquals(0, v.realizedPnl());
        assertEquals(1052, v.feesPaid());
        assertNull(ledger.position("alice", S, s -> 0, T));
    }

    @Test
    void sellAboveCostRealizesTheGainBeforeFees() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        x.other(101, Side.SELL, 1000, 100, T);
        x.other(102, Side.BUY, 1100, 100, T);
        List<Update> us = x.limit("alice", 2, Side.SELL, 1050, 100, T); // trades at the maker's 11.00

        Fill f = fills(us).get(0);
        assertEquals(1100, f.price());
        assertEquals(500 + 55 + 1, f.fee()); // min commission, 0.05 % stamp, 0.001 % transfer (1.1 → 1)
        AccountView v = ledger.account("alice", s -> 0);
        assertEquals(10_000, v.realizedPnl());
        assertEquals(START - 100_501 + 110_000 - 556, v.cash());
    }

    @Test
    void marketBuyRemainderIsCanceledAndReleasesItsReservation() {
        alice();
        x.other(101, Side.SELL, 1000, 100, T);
        List<Update> us = x.place("alice", 1, S, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 0, 0, 300, 1100, T);

        assertEquals(List.of(OrderStatus.PENDING_NEW, OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED,
                OrderStatus.CANCELED), statuses(us));
        Order o = last(us);
        assertEquals(100, o.filledQty());
        assertEquals(0, o.leavesQty());
        assertEquals(1000, o.avgFillPrice());
        assertEquals(START - 100_501, cash());
        assertEquals(cash(), ledger.buyingPower("alice"));
    }

    @Test
    void marketBuyReservesAtTheCallersPriceUntilTheExchangeAnswers() {
        alice();
        ledger.recordNewOrder("alice", 1, new OrderRequest("m1", S, Side.BUY,
                OrderType.MARKET, TimeInForce.IOC, 200, 0, 0), 1100, T);
        assertEquals(200 * 1100 + 500 + 2, ledger.reservationOf("alice", "1")); // transfer 2.2 → 2
        assertThrows(IllegalArgumentException.class, () -> ledger.recordNewOrder("alice", 2,
                new OrderRequest("m2", S, Side.BUY, OrderType.MARKET, TimeInForce.IOC,
                        200, 0, 0), 0, T));
    }

    @Test
    void iocLimitRemainderIsCanceled() {
        alice();
        x.other(101, Side.SELL, 1000, 100, T);
        List<Update> us = x.place("alice", 1, S, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 1000, 0, 300, 0, T);

        assertEquals(OrderStatus.CANCELED, last(us).status());
        assertEquals(100, last(us).filledQty());
        assertEquals(1, fills(us).size());
    }

    @Test
    void fokThatCannotFillCompletelyExpiresWithoutAFill() {
        alice();
        x.other(101, Side.SELL, 1000, 100, T);
        List<Update> us = x.place("alice", 1, S, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 1000, 0, 300, 0, T);

        assertEquals(List.of(OrderStatus.PENDING_NEW, OrderStatus.NEW, OrderStatus.EXPIRED), statuses(us));
        assertTrue(fills(us).isEmpty());
        assertEquals(START, ledger.buyingPower("alice"));
    }

    @Test
    void stopBuyStaysNewUntilTriggeredThenFillsAsMarket() {
        alice();
        x.other(101, Side.SELL, 1050, 100, T);
        x.other(102, Side.SELL, 1060, 100, T);
        List<Update> placed = x.place("alice", 1, S, Side.BUY, OrderType.STOP, TimeInForce.GTC, 0, 1050, 100, 1100, T);
        assertEquals(List.of(OrderStatus.PENDING_NEW, OrderStatus.NEW), statuses(placed));

        List<Update> us = x.other(103, Side.BUY, 1050, 100, T + 1); // last trade 10.50 reaches the stop

        assertEquals(List.of(OrderStatus.NEW, OrderStatus.FILLED), statuses(us));
        Fill f = fills(us).get(0);
        assertEquals(1060, f.price());
        assertFalse(f.maker());
        Order o = last(us);
        assertEquals(OrderType.STOP, o.type());
        assertEquals(1050, o.stopPrice());
        assertEquals(START - 106_000 - 501, cash());
    }

    @Test
    void replaceToLowerQtyKeepsTheOrderIdAndLowersTheReservation() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 300, T);
        List<Update> us = x.replace(1, S, 1000, 200, T + 1);

        Order o = last(us);
        assertEquals("1", o.orderId());
        assertEquals(OrderStatus.NEW, o.status());
        assertEquals(200, o.qty());
        assertEquals(200, o.leavesQty());
        assertEquals(200_000 + 500 + 2, ledger.reservationOf("alice", "1"));
        assertEquals(1, ledger.openOrderCount("alice"));
    }

    @Test
    void replaceOfPartiallyFilledOrderRaisesQtyAndPriceAndStaysPartiallyFilled() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 300, T);
        x.other(101, Side.SELL, 1000, 100, T);
        assertEquals(ledger.reservationAfterReplace("alice", "1", 1010, 500), 404_004);

        List<Update> us = x.replace(1, S, 1010, 500, T + 1);

        Order o = last(us);
        assertEquals(OrderStatus.PARTIALLY_FILLED, o.status());
        assertEquals(500, o.qty());
        assertEquals(400, o.leavesQty());
        assertEquals(100, o.filledQty());
        assertEquals(1010, o.price());
        // 400 × 10.10 plus the fee increase of the order: fee(5 040.00) = 5.05, 5.01 already billed.
        assertEquals(404_004, ledger.reservationOf("alice", "1"));
    }

    @Test
    void replaceThatCrossesTheBookTradesLikeANewOrder() {
        alice();
        x.other(101, Side.SELL, 1010, 100, T);
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        List<Update> us = x.replace(1, S, 1010, 100, T + 1);

        assertEquals(List.of(OrderStatus.NEW, OrderStatus.FILLED), statuses(us));
        assertEquals(1010, fills(us).get(0).price());
        assertFalse(fills(us).get(0).maker());
    }

    @Test
    void cancelOfPartiallyFilledOrderReleasesTheRestAndKeepsTheFill() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 300, T);
        x.other(101, Side.SELL, 1000, 100, T);
        List<Update> us = x.cancel(1, S, T + 1);

        Order o = last(us);
        assertEquals(OrderStatus.CANCELED, o.status());
        assertEquals(100, o.filledQty());
        assertEquals(0, o.leavesQty());
        assertEquals(cash(), ledger.buyingPower("alice"));
        assertEquals(0, ledger.openOrderCount("alice"));
    }

    @Test
    void refusedCancelOfAFinishedOrderChangesNothing() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        x.other(101, Side.SELL, 1000, 100, T);
        long hash = ledger.stateHash();
        List<Update> us = x.cancel(1, S, T + 1);

        assertTrue(us.isEmpty());
        assertEquals(OrderStatus.FILLED, ledger.order("alice", "1").status());
        assertEquals(x.events.get(x.events.size() - 1).type(), EventType.REJECTED);
        assertFalse(hash == ledger.stateHash(), "the feed position moved");
    }

    @Test
    void exchangeRejectionCarriesItsCodeAndMessage() {
        alice();
        List<Update> us = x.limit("alice", 1, Side.SELL, 0, 100, T);

        Order o = last(us);
        assertEquals(OrderStatus.REJECTED, o.status());
        assertEquals(ResultCode.PRICE_INVALID.code(), o.rejectCode());
        assertEquals(ResultCode.PRICE_INVALID.message(), o.rejectReason());
        assertEquals(0, ledger.openOrderCount("alice"));
    }

    @Test
    void sendFailureRejectsAPendingOrderOnce() {
        alice();
        ledger.recordNewOrder("alice", 1, new OrderRequest("c1", S, Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, 100, 1000, 0), 0, T);
        Update u = ledger.recordSendFailure("alice", "1", ResultCode.ENGINE_OVERLOADED.code(), "overloaded", T);

        assertEquals(OrderStatus.REJECTED, u.order().status());
        assertEquals(-5007, u.order().rejectCode());
        assertEquals(START, ledger.buyingPower("alice"));
        assertNull(ledger.recordSendFailure("alice", "1", -5007, "again", T));
    }

    @Test
    void selfTradeBooksTwoFillsTheTakersThenTheMakers() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        x.other(101, Side.SELL, 1000, 100, T);
        x.limit("alice", 2, Side.BUY, 1000, 100, T);
        List<Update> us = x.limit("alice", 3, Side.SELL, 1000, 100, T);

        List<Fill> fs = fills(us);
        assertEquals(2, fs.size());
        assertEquals("3", fs.get(0).orderId());
        assertTrue(fs.get(0).fillId().endsWith("-t"));
        assertEquals(551, fs.get(0).fee());
        assertEquals("2", fs.get(1).orderId());
        assertTrue(fs.get(1).fillId().endsWith("-m"));
        assertEquals(501, fs.get(1).fee());
        assertEquals(fs.get(0).fillId().replace("-t", ""), fs.get(1).fillId().replace("-m", ""));
        assertEquals(100, ledger.position("alice", S, s -> 0, T).qty());
        assertEquals(START - 100_501 - 501 - 551, cash());
    }

    @Test
    void tradesBetweenOtherAccountsReachNoAccount() {
        alice();
        x.other(101, Side.SELL, 1000, 100, T);
        List<Update> us = x.other(102, Side.BUY, 1000, 100, T);

        assertTrue(us.isEmpty());
        assertEquals(START, cash());
        assertEquals(0, ledger.lastUpdateSeq("alice"));
    }

    @Test
    void perOrderBillingChargesTheMinimumCommissionOnce() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        Fill first = fills(x.other(101, Side.SELL, 1000, 50, T)).get(0);
        Fill second = fills(x.other(102, Side.SELL, 1000, 50, T)).get(0);

        assertEquals(501, first.fee());
        assertEquals(0, second.fee());
        assertEquals(START - 100_501, cash());
    }

    @Test
    void perFillBillingChargesEachFillOnItsOwn() {
        ExchangeDriver y = new ExchangeDriver(LedgerOptions.DEFAULTS.withFees(
                FeeSchedule.A_SHARE, FeeBilling.PER_FILL));
        y.open("alice", START, T);
        y.limit("alice", 1, Side.BUY, 1000, 100, T);
        y.other(101, Side.SELL, 1000, 50, T);
        y.other(102, Side.SELL, 1000, 50, T);

        assertEquals(List.of(501L, 501L), y.ledger.allFills("alice").stream().map(Fill::fee).toList());
        assertEquals(START - 100_000 - 1002, y.ledger.account("alice", s -> 0).cash());
    }

    @Test
    void redeliveredEventIsIgnoredAndAGapFailsFast() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        x.other(101, Side.SELL, 1000, 100, T);
        long hash = ledger.stateHash();
        ExchangeEvent trade = x.events.get(2);

        assertTrue(ledger.apply(trade).isEmpty());
        assertEquals(hash, ledger.stateHash());
        ExchangeEvent skipped = new ExchangeEvent(trade.seq() + 5, 0, EventType.CANCELED, 1, "alice", 0, null, S,
                Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 0, 0, 0, 0, ResultCode.OK, T, null);
        assertThrows(IllegalStateException.class, () -> ledger.apply(skipped));
    }

    @Test
    void resetStartsCleanButKeepsOrderHistoryAndTheStreamSeq() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        x.other(101, Side.SELL, 1000, 100, T);
        long seq = ledger.lastUpdateSeq("alice");

        x.reset("alice", 50_000_000, T + 10);

        AccountView v = ledger.account("alice", s -> 0);
        assertEquals(50_000_000, v.cash());
        assertEquals(50_000_000, v.startingCash());
        assertEquals(0, v.feesPaid());
        assertEquals(0, v.realizedPnl());
        assertTrue(ledger.positions("alice", s -> 0, T).isEmpty());
        assertEquals(OrderStatus.FILLED, ledger.order("alice", "1").status());
        assertEquals(seq, ledger.lastUpdateSeq("alice"));
        List<Update> us = x.limit("alice", 2, Side.BUY, 1000, 100, T + 11);
        assertEquals(seq + 1, us.get(0).seq());
    }

    @Test
    void openAccountIsIdempotent() {
        assertTrue(ledger.openAccount("bob", 1_000, T));
        assertFalse(ledger.openAccount("bob", 5_000, T));
        assertEquals(1_000, ledger.account("bob", s -> 0).cash());
        assertTrue(ledger.openAccount("carol", T));
        assertEquals(LedgerOptions.DEFAULT_STARTING_CASH, ledger.account("carol", s -> 0).cash());
        assertThrows(IllegalArgumentException.class, () -> ledger.recordNewOrder("nobody", 9,
                new OrderRequest("x", S, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 1,
                        1000, 0), 0, T));
    }

    @Test
    void clientOrderIdAndExchangeIdAreUniqueAndFoundAgain() {
        alice();
        x.limit("alice", 1, Side.BUY, 1000, 100, T);

        assertEquals("1", ledger.orderByClientId("alice", "c1").orderId());
        assertNull(ledger.orderByClientId("bob", "c1"));
        assertNull(ledger.order("bob", "1"));
        assertThrows(IllegalArgumentException.class, () -> ledger.recordNewOrder("alice", 2,
                new OrderRequest("c1", S, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100,
                        1000, 0), 0, T));
        assertThrows(IllegalArgumentException.class, () -> ledger.recordNewOrder("alice", 1,
                new OrderRequest("c9", S, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100,
                        1000, 0), 0, T));
    }

    @Test
    void partialFillsOfABuyThatTakesAllBuyingPowerLeaveItAtZeroNotBelow() {
        long exact = ledger.reservationFor(1000, 100);
        x.open("alice", exact, T);
        x.limit("alice", 1, Side.BUY, 1000, 100, T);
        assertEquals(0, ledger.buyingPower("alice"));
        x.other(101, Side.SELL, 1000, 30, T);
        x.other(102, Side.SELL, 1000, 30, T);
        x.other(103, Side.SELL, 1000, 40, T);

        assertEquals(0, ledger.buyingPower("alice"));
        assertEquals(0, cash());
    }

    @Test
    void perFillBillingCanTakeBuyingPowerBelowZeroOnPartialFills() {
        ExchangeDriver y = new ExchangeDriver(LedgerOptions.DEFAULTS.withFees(FeeSchedule.A_SHARE, FeeBilling.PER_FILL));
        y.open("alice", y.ledger.reservationFor(1000, 100), T);
        y.limit("alice", 1, Side.BUY, 1000, 100, T);
        y.other(101, Side.SELL, 1000, 50, T);
        y.other(102, Side.SELL, 1000, 50, T);

        assertEquals(-501, y.ledger.buyingPower("alice")); // the second fill pays the minimum again
    }
}
