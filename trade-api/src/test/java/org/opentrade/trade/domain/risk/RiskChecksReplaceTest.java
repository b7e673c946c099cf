package org.opentrade.trade.domain.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.opentrade.trade.domain.risk.RiskChecksTest.RULES;
import static org.opentrade.trade.domain.risk.RiskChecksTest.SYM;
import static org.opentrade.trade.domain.risk.RiskChecksTest.aShareBuyFee;
import static org.opentrade.trade.domain.risk.RiskChecksTest.assertRefused;

import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.FeeSchedule;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderStatus;
import org.opentrade.trade.domain.TradeError;

/** Replace (PATCH price and/or qty): the same rules against the change, on the default market of RiskChecksTest. */
class RiskChecksReplaceTest {
    final RiskChecks risk = new RiskChecks(RiskOptions.DEFAULTS, FeeSchedule.A_SHARE);
    final FakeAccount acct = new FakeAccount("dev-1");

    static Order open(Side side, OrderType type, long qty, long price, long filled) {
        return new Order("42", 42, "dev-1", "c-42", SYM, side, type, TimeInForce.GTC, qty, price,
                type.isStop() ? 95_00 : 0, filled, qty - filled, filled > 0 ? price : 0, filled * price,
                filled > 0 ? OrderStatus.PARTIALLY_FILLED : OrderStatus.NEW, null, 0, 0, 0, 0);
    }

    /** What the ledger holds back for an open order: a buy's leaves at its price plus the fee, nothing for a sell. */
    long held(Order o) {
        return o.side() == Side.BUY ? risk.buyReservation(o.leavesQty(), o.price()) : 0;
    }

    static Order withStatus(Order o, OrderStatus status) {
        return new Order(o.orderId(), o.exchangeId(), o.account(), o.clientOrderId(), o.symbol(), o.side(), o.type(),
                o.timeInForce(), o.qty(), o.price(), o.stopPrice(), o.filledQty(), o.leavesQty(), o.avgFillPrice(),
                o.filledValue(), status, null, 0, 0, 0, 0);
    }

    @Test
    void aBiggerBuyNeedsBuyingPowerOnlyForWhatItAdds() {
        Order buy = open(Side.BUY, OrderType.LIMIT, 100, 100_00, 0);
        long held = 100 * 100_00 + aShareBuyFee(100_00, 100);
        long needed = 200 * 100_00 + aShareBuyFee(100_00, 200);
        assertEquals(10_005_10, held);
        assertEquals(20_005_20, needed);
        acct.buyingPower(needed - held - 1);
        assertRefused(TradeError.INSUFFICIENT_BUYING_POWER, "buying power 10 000.09 is less than the 10 000.10 more "
                + "this replace needs (200 x 100.00 + fees 5.20 = 20 005.20, 10 005.10 already reserved)",
                risk.checkReplace(buy, 200, 100_00, acct, held(buy), RULES, 0));
        acct.buyingPower(needed - held);
        assertNull(risk.checkReplace(buy, 200, 100_00, acct, held(buy), RULES, 0));
    }

    @Test
    void aPartlyFilledBuyReservesOnlyItsNewLeaves() {
        Order buy = open(Side.BUY, OrderType.LIMIT, 300, 100_00, 100); // 200 left
        long held = 200 * 100_00 + aShareBuyFee(100_00, 200);
        long needed = 300 * 101_00 + aShareBuyFee(101_00, 300); // new total 400: 300 left at 101.00
        acct.buyingPower(needed - held);
        assertNull(risk.checkReplace(buy, 400, 101_00, acct, held(buy), RULES, 0));
        acct.buyingPower(needed - held - 1);
        assertRefused(TradeError.INSUFFICIENT_BUYING_POWER, null, risk.checkReplace(buy, 400, 101_00, acct, held(buy), RULES, 1));
    }

    @Test
    void aSmallerOrCheaperBuyNeedsNoBuyingPower() {
        acct.buyingPower(0);
        Order buy = open(Side.BUY, OrderType.LIMIT, 300, 100_00, 0);
        assertNull(risk.checkReplace(buy, 200, 100_00, acct, held(buy), RULES, 0));
        assertNull(risk.checkReplace(buy, 300, 99_00, acct, held(buy), RULES, 1));
    }

    @Test
    void aBiggerSellNeedsTheAddedSharesSellable() {
        Order sell = open(Side.SELL, OrderType.LIMIT, 300, 100_00, 0);
        acct.sellable(SYM, 200);
        assertNull(risk.checkReplace(sell, 500, 100_00, acct, held(sell), RULES, 0));
        assertRefused(TradeError.INSUFFICIENT_POSITION, "sellable 600000.SH is 200, less than the 300 more this "
                + "replace sells (no short selling)", risk.checkReplace(sell, 600, 100_00, acct, held(sell), RULES, 0));
    }

    @Test
    void aBuyReplaceKeepsWholeLotsAndASellMayKeepItsOddRemainder() {
        Order buy = open(Side.BUY, OrderType.LIMIT, 300, 100_00, 0);
        assertRefused(TradeError.QTY_NOT_BOARD_LOT, "buy qty 250 is not a multiple of the board lot 100 of 600000.SH",
                risk.checkReplace(buy, 250, 100_00, acct, held(buy), RULES, 0));
        Order sell = open(Side.SELL, OrderType.LIMIT, 250, 100_00, 0); // holds a position of 250
        acct.sellable(SYM, 0);
        assertNull(risk.checkReplace(sell, 150, 100_00, acct, held(sell), RULES, 0));
        assertRefused(TradeError.QTY_NOT_BOARD_LOT, null, risk.checkReplace(sell, 120, 100_00, acct, held(sell), RULES, 0));
    }

    @Test
    void aReplaceOutsideTheBandOrOffTheTickIsRefused() {
        Order buy = open(Side.BUY, OrderType.LIMIT, 100, 100_00, 0);
        assertRefused(TradeError.PRICE_OUTSIDE_BAND, "price 110.01 is outside today's band 90.00 to 110.00 of "
                + "600000.SH (reference 100.00 ± 10 %)", risk.checkReplace(buy, 100, 110_01, acct, held(buy), RULES, 0));
        InstrumentRules tick5 = new InstrumentRules(SYM, 5, 100, 1_000_000, 10, 100_00, 100_00, 100_05, 99_95);
        assertRefused(TradeError.PRICE_NOT_ON_TICK, null, risk.checkReplace(buy, 100, 100_01, acct, held(buy), tick5, 0));
    }

    @Test
    void aReplaceAboveTheMaximumQtyOrValueIsRefused() {
        Order buy = open(Side.BUY, OrderType.LIMIT, 100, 100_00, 0);
        assertRefused(TradeError.QTY_TOO_LARGE, null, risk.checkReplace(buy, 1_000_100, 1_00,
                acct, held(buy), new InstrumentRules(SYM, 1, 100, 2_000_000, 0, 0, 0, 0, 0), 0));
        assertRefused(TradeError.NOTIONAL_TOO_LARGE, null, risk.checkReplace(buy, 500_100, 100_00, acct, held(buy), RULES, 0));
    }

    @Test
    void onlyAnOpenOrderCanBeReplaced() {
        Order buy = open(Side.BUY, OrderType.LIMIT, 100, 100_00, 0);
        assertRefused(TradeError.ORDER_NOT_OPEN, "order 42 is filled: only an open order can be replaced",
                risk.checkReplace(withStatus(buy, OrderStatus.FILLED), 200, 100_00, acct, 0, RULES, 0));
        assertRefused(TradeError.ORDER_NOT_OPEN, "order 42 is pending_cancel: only an open order can be replaced",
                risk.checkReplace(withStatus(buy, OrderStatus.PENDING_CANCEL), 200, 100_00, acct, 0, RULES, 0));
    }

    @Test
    void marketAndStopOrdersCannotBeReplacedAndTheNewQtyMustExceedTheFilled() {
        acct.sellable(SYM, 1_000);
        assertRefused(TradeError.INVALID_ORDER, "a stop order cannot be replaced: cancel it and place a new one",
                risk.checkReplace(open(Side.SELL, OrderType.STOP, 100, 0, 0), 200, 100_00, acct, 0, RULES, 0));
        assertRefused(TradeError.INVALID_ORDER, "the new qty 100 must be above the 100 already filled",
                risk.checkReplace(open(Side.BUY, OrderType.LIMIT, 300, 100_00, 100), 100, 100_00, acct, 0, RULES, 0));
        assertRefused(TradeError.INVALID_ORDER, "price must be above 0 and at most 100 000 000.00, was 0.00",
                risk.checkReplace(open(Side.BUY, OrderType.LIMIT, 300, 100_00, 0), 300, 0, acct, 0, RULES, 0));
    }

    @Test
    void theKillSwitchRefusesAReplace() {
        acct.killSwitch(true);
        assertRefused(TradeError.KILL_SWITCH_ACTIVE, null,
                risk.checkReplace(open(Side.BUY, OrderType.LIMIT, 100, 100_00, 0), 100, 99_00, acct, 0, RULES, 0));
    }

    @Test
    void replacesCountAgainstTheOrderRateButNotTheOpenOrderCount() {
        acct.openOrders(500);
        Order buy = open(Side.BUY, OrderType.LIMIT, 100, 100_00, 0);
        for (int i = 0; i < 50; i++) {
            assertNull(risk.checkReplace(buy, 100, 99_00 + i, acct, held(buy), RULES, 0));
        }
        assertRefused(TradeError.ORDER_RATE_EXCEEDED, null, risk.checkReplace(buy, 100, 98_00, acct, held(buy), RULES, 999));
        assertRefused(TradeError.TOO_MANY_OPEN_ORDERS, null,
                risk.check(RiskChecksTest.limitBuy(100, 100_00), acct, RULES, 1_000));
    }
}
