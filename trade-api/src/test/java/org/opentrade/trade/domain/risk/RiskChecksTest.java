package org.opentrade.trade.domain.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.FeeSchedule;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.TradeError;

/**
 * One test per rule: refused with its number and a message naming the numbers, allowed just inside
 * the limit. The default market: 600000.SH, tick 0.01, lot 100, reference 100.00 ± 10 %, last 100.00,
 * ask 100.01, bid 99.99.
 */
class RiskChecksTest {
    static final String SYM = "600000.SH";
    static final InstrumentRules RULES = new InstrumentRules(SYM, 1, 100, 1_000_000, 10, 100_00, 100_00, 100_01, 99_99);

    final RiskChecks risk = new RiskChecks(RiskOptions.DEFAULTS, FeeSchedule.A_SHARE);
    final FakeAccount acct = new FakeAccount("dev-1");

    static OrderRequest order(Side side, OrderType type, TimeInForce tif, long qty, long price, long stop) {
        return new OrderRequest("c-1", SYM, side, type, tif, qty, price, stop);
    }

    static OrderRequest limitBuy(long qty, long price) {
        return order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, qty, price, 0);
    }

    static OrderRequest limitSell(long qty, long price) {
        return order(Side.SELL, OrderType.LIMIT, TimeInForce.DAY, qty, price, 0);
    }

    static void assertRefused(TradeError error, String message, Refusal r) {
        assertNotNull(r, "expected " + error + " but the order passed");
        assertEquals(error, r.error(), r.message());
        assertEquals(error.errorNo(), r.errorNo());
        if (message != null) {
            assertEquals(message, r.message());
        }
    }

    /** A-share fee of one buy fill, computed independently of FeeSchedule: 0.025 % (min 5.00) + 0.001 %. */
    static long aShareBuyFee(long price, long qty) {
        BigDecimal value = BigDecimal.valueOf(price).multiply(BigDecimal.valueOf(qty));
        long commission = value.multiply(new BigDecimal("0.00025")).setScale(0, RoundingMode.HALF_UP).longValueExact();
        long transfer = value.multiply(new BigDecimal("0.00001")).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return Math.max(500, commission) + transfer;
    }

    // ---------------------------------------------------------------- -4110 kill switch

    @Test
    void killSwitchRefusesEvenAFlawlessOrder() {
        assertNull(risk.check(limitBuy(100, 100_00), acct, RULES, 0));
        acct.killSwitch(true);
        assertRefused(TradeError.KILL_SWITCH_ACTIVE, "the kill switch of account dev-1 is on: new orders and "
                + "replaces are refused until it is turned off", risk.check(limitBuy(100, 100_00), acct, RULES, 1));
    }

    // ---------------------------------------------------------------- -4114 order shape

    @Test
    void nonPositiveQtyIsAnInvalidOrder() {
        assertRefused(TradeError.INVALID_ORDER, "qty must be positive, was 0", risk.check(limitBuy(0, 100_00), acct, RULES, 0));
        assertRefused(TradeError.INVALID_ORDER, "qty must be positive, was -100",
                risk.check(limitBuy(-100, 100_00), acct, RULES, 0));
    }

    @Test
    void limitOrdersNeedAPriceAndTakeNoStopPrice() {
        assertRefused(TradeError.INVALID_ORDER, "a limit order needs a price above 0 and at most 100 000 000.00, was 0.00",
                risk.check(limitBuy(100, 0), acct, RULES, 0));
        assertRefused(TradeError.INVALID_ORDER, null, risk.check(limitBuy(100, 10_000_000_001L), acct, RULES, 0));
        assertRefused(TradeError.INVALID_ORDER, "a limit order takes no stop_price, was 99.00",
                risk.check(order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 100, 100_00, 99_00), acct, RULES, 0));
    }

    @Test
    void marketOrdersTakeNoPrice() {
        assertRefused(TradeError.INVALID_ORDER, "a market order takes no price, was 100.00",
                risk.check(order(Side.BUY, OrderType.MARKET, TimeInForce.IOC, 100, 100_00, 0), acct, RULES, 0));
    }

    @Test
    void stopOrdersNeedAStopPriceAndStopLimitsAPriceToo() {
        assertRefused(TradeError.INVALID_ORDER, "a stop order needs a stop_price above 0 and at most 100 000 000.00, was 0.00",
                risk.check(order(Side.SELL, OrderType.STOP, TimeInForce.GTC, 100, 0, 0), acct, RULES, 0));
        assertRefused(TradeError.INVALID_ORDER, "a stop_limit order needs a price above 0 and at most 100 000 000.00, was 0.00",
                risk.check(order(Side.BUY, OrderType.STOP_LIMIT, TimeInForce.GTC, 100, 0, 101_00), acct, RULES, 0));
        assertNull(risk.check(order(Side.BUY, OrderType.STOP_LIMIT, TimeInForce.GTC, 100, 102_00, 101_00), acct, RULES, 0));
    }

    @Test
    void marketOrdersCannotBeGtcButDayIocAndFokPass() {
        assertRefused(TradeError.INVALID_ORDER,
                "a market order never rests, so it cannot be gtc: use day (sent as ioc), ioc or fok",
                risk.check(order(Side.BUY, OrderType.MARKET, TimeInForce.GTC, 100, 0, 0), acct, RULES, 0));
        for (TimeInForce tif : List.of(TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK)) {
            assertNull(risk.check(order(Side.BUY, OrderType.MARKET, tif, 100, 0, 0), acct, RULES, 0), tif.name());
        }
    }

    @Test
    void stopOrdersTakeEveryTimeInForce() {
        acct.sellable(SYM, 10_000);
        for (TimeInForce tif : TimeInForce.values()) {
            assertNull(risk.check(order(Side.SELL, OrderType.STOP, tif, 100, 0, 95_00), acct, RULES, 0), tif.name());
            assertNull(risk.check(order(Side.BUY, OrderType.STOP_LIMIT, tif, 100, 105_00, 104_00), acct, RULES, 0));
        }
    }

    @Test
    void aMarketBuyWithNothingToValueItAgainstIsInvalid() {
        InstrumentRules noPrices = new InstrumentRules(SYM, 1, 100, 1_000_000, 0, 0, 0, 0, 0);
        assertRefused(TradeError.INVALID_ORDER, "no ask, last price or reference for 600000.SH to value a market buy: "
                + "send a limit order", risk.check(order(Side.BUY, OrderType.MARKET, TimeInForce.IOC, 100, 0, 0),
                acct, noPrices, 0));
    }

    @Test
    void missingSideTypeOrTimeInForceIsInvalid() {
        assertRefused(TradeError.INVALID_ORDER, "side, type and time_in_force are required",
                risk.check(order(Side.BUY, OrderType.LIMIT, null, 100, 100_00, 0), acct, RULES, 0));
    }

    @Test
    void rulesOfAnotherSymbolAreACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> risk.check(
                new OrderRequest("c", "000001.SZ", Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 100, 100_00, 0),
                acct, RULES, 0));
    }

    // ---------------------------------------------------------------- -4103 lot

    @Test
    void aBuyOfAnOddLotIsRefusedAndWholeLotsPass() {
        assertRefused(TradeError.QTY_NOT_BOARD_LOT, "buy qty 150 is not a multiple of the board lot 100 of 600000.SH",
                risk.check(limitBuy(150, 100_00), acct, RULES, 0));
        assertNull(risk.check(limitBuy(200, 100_00), acct, RULES, 0));
    }

    @Test
    void aSellMayCarryAnOddLotOnlyToSellTheWholeOddRemainder() {
        acct.sellable(SYM, 250);
        assertNull(risk.check(limitSell(50, 100_00), acct, RULES, 0));
        assertNull(risk.check(limitSell(150, 100_00), acct, RULES, 0));
        assertNull(risk.check(limitSell(250, 100_00), acct, RULES, 0));
        assertNull(risk.check(limitSell(200, 100_00), acct, RULES, 0));
        assertRefused(TradeError.QTY_NOT_BOARD_LOT, "sell qty 130 has an odd lot of 30, but an odd lot (below the "
                + "board lot 100) may only sell the whole odd remainder of the position: 50 of the 250 sellable",
                risk.check(limitSell(130, 100_00), acct, RULES, 0));
    }

    @Test
    void anOddSellBeyondThePositionIsAnsweredByThePositionCheck() {
        acct.sellable(SYM, 30);
        assertRefused(TradeError.INSUFFICIENT_POSITION, null, risk.check(limitSell(70, 100_00), acct, RULES, 0));
    }

    // ---------------------------------------------------------------- -4104 tick

    @Test
    void aPriceOffTheTickIsRefusedAndOneOnItPasses() {
        InstrumentRules tick5 = new InstrumentRules(SYM, 5, 100, 1_000_000, 10, 100_00, 100_00, 100_05, 99_95);
        assertRefused(TradeError.PRICE_NOT_ON_TICK, "price 100.03 is not a multiple of the tick 0.05 of 600000.SH",
                risk.check(limitBuy(100, 100_03), acct, tick5, 0));
        assertNull(risk.check(limitBuy(100, 100_05), acct, tick5, 0));
        acct.sellable(SYM, 100);
        assertRefused(TradeError.PRICE_NOT_ON_TICK, "stop_price 95.01 is not a multiple of the tick 0.05 of 600000.SH",
                risk.check(order(Side.SELL, OrderType.STOP, TimeInForce.GTC, 100, 0, 95_01), acct, tick5, 0));
    }

    // ---------------------------------------------------------------- -4105 band

    @Test
    void aPriceOutsideTodaysBandIsRefusedAndTheLimitsThemselvesPass() {
        assertRefused(TradeError.PRICE_OUTSIDE_BAND, "price 110.01 is outside today's band 90.00 to 110.00 of "
                + "600000.SH (reference 100.00 ± 10 %)", risk.check(limitBuy(100, 110_01), acct, RULES, 0));
        assertRefused(TradeError.PRICE_OUTSIDE_BAND, null, risk.check(limitBuy(100, 89_99), acct, RULES, 0));
        assertNull(risk.check(limitBuy(100, 110_00), acct, RULES, 0));
        assertNull(risk.check(limitBuy(100, 90_00), acct, RULES, 0));
        assertRefused(TradeError.PRICE_OUTSIDE_BAND, "stop_price 89.99 is outside today's band 90.00 to 110.00 of "
                + "600000.SH (reference 100.00 ± 10 %)",
                risk.check(order(Side.BUY, OrderType.STOP_LIMIT, TimeInForce.GTC, 100, 100_00, 89_99), acct, RULES, 0));
    }

    @Test
    void withoutAKnownReferenceTheBandIsLeftToTheExchange() {
        InstrumentRules unknownReference = new InstrumentRules(SYM, 1, 100, 1_000_000, 10, 0, 0, 0, 0);
        assertNull(risk.check(limitBuy(100, 500_00), acct, unknownReference, 0));
    }

    @Test
    void bandLimitsEqualTheExchangesFormulaOnSeededRandomReferences() {
        Random random = new Random(11);
        int[] bands = {1, 5, 10, 20, 30, 44, 99};
        long[] ticks = {1, 2, 5, 10, 50, 100};
        for (int i = 0; i < 20_000; i++) {
            long reference = i % 4 == 0 ? 1 + random.nextInt(1_000) : 1 + (long) (random.nextDouble() * 1_000_000_00L);
            int band = bands[random.nextInt(bands.length)];
            long tick = ticks[random.nextInt(ticks.length)];
            InstrumentRules r = new InstrumentRules(SYM, tick, 100, 1_000_000, band, reference, 0, 0, 0);
            String where = "reference " + reference + " band " + band + " tick " + tick;
            assertEquals(Instrument.upperLimit(reference, band, tick), r.upperLimit(), where);
            assertEquals(Instrument.lowerLimit(reference, band, tick), r.lowerLimit(), where);
        }
    }

    @Test
    void theCheckAcceptsExactlyThePricesTheExchangeFormulaAllows() {
        Random random = new Random(12);
        RiskChecks wide = new RiskChecks(new RiskOptions(1_000_000, Long.MAX_VALUE / 4, 500, 1_000_000, 1_000, 10),
                FeeSchedule.NONE);
        for (int i = 0; i < 2_000; i++) {
            long reference = 1 + random.nextInt(100_000_00);
            int band = 1 + random.nextInt(30);
            long tick = new long[] {1, 5, 10}[random.nextInt(3)];
            InstrumentRules r = new InstrumentRules(SYM, tick, 100, 1_000_000, band, reference, 0, 0, 0);
            long up = Instrument.upperLimit(reference, band, tick);
            long low = Instrument.lowerLimit(reference, band, tick);
            assertNull(wide.check(limitBuy(100, up), acct, r, i));
            assertRefused(TradeError.PRICE_OUTSIDE_BAND, null, wide.check(limitBuy(100, up + tick), acct, r, i));
            if (low > 0) {
                assertNull(wide.check(limitBuy(100, low), acct, r, i));
            }
            if (low - tick > 0) {
                assertRefused(TradeError.PRICE_OUTSIDE_BAND, null, wide.check(limitBuy(100, low - tick), acct, r, i));
            }
        }
    }

    // ---------------------------------------------------------------- -4106 max qty

    @Test
    void aQtyAboveTheMaximumIsRefusedAndTheMaximumPasses() {
        InstrumentRules penny = new InstrumentRules(SYM, 1, 100, 2_000_000, 10, 1_00, 1_00, 1_01, 99);
        assertNull(risk.check(limitBuy(1_000_000, 1_00), acct, penny, 0));
        assertRefused(TradeError.QTY_TOO_LARGE, "qty 1 000 100 is above the maximum 1 000 000 per order",
                risk.check(limitBuy(1_000_100, 1_00), acct, penny, 0));
    }

    @Test
    void theInstrumentsTighterMaximumWins() {
        InstrumentRules small = new InstrumentRules(SYM, 1, 100, 500_000, 10, 100_00, 100_00, 100_01, 99_99);
        assertNull(risk.check(limitBuy(500_000, 95_00), acct, small, 0));
        assertRefused(TradeError.QTY_TOO_LARGE, "qty 500 100 is above the maximum 500 000 per order of 600000.SH",
                risk.check(limitBuy(500_100, 95_00), acct, small, 0));
    }

    // ---------------------------------------------------------------- -4107 max notional

    @Test
    void anOrderValueAboveTheMaximumIsRefusedAndTheMaximumPasses() {
        assertNull(risk.check(limitBuy(500_000, 100_00), acct, RULES, 0)); // exactly 50 000 000.00
        assertRefused(TradeError.NOTIONAL_TOO_LARGE,
                "order value 50 005 000.00 (500 000 x 100.01) is above the maximum 50 000 000.00",
                risk.check(limitBuy(500_000, 100_01), acct, RULES, 0));
    }

    @Test
    void aMarketSellIsValuedAtTheBid() {
        acct.sellable(SYM, 1_000_000);
        RiskChecks tight = new RiskChecks(new RiskOptions(1_000_000, 19_997_99, 500, 50, 1_000, 100), FeeSchedule.A_SHARE);
        assertNull(tight.check(order(Side.SELL, OrderType.MARKET, TimeInForce.IOC, 100, 0, 0), acct, RULES, 0));
        assertRefused(TradeError.NOTIONAL_TOO_LARGE,
                "order value 19 998.00 (200 x 99.99, a market sell at the bid) is above the maximum 19 997.99",
                tight.check(order(Side.SELL, OrderType.MARKET, TimeInForce.IOC, 200, 0, 0), acct, RULES, 0));
    }

    // ---------------------------------------------------------------- -4108 open orders

    @Test
    void atTheOpenOrderMaximumANewOrderIsRefusedAndOneBelowPasses() {
        acct.openOrders(499);
        assertNull(risk.check(limitBuy(100, 100_00), acct, RULES, 0));
        acct.openOrders(500);
        assertRefused(TradeError.TOO_MANY_OPEN_ORDERS, "500 open orders, the maximum is 500 per account",
                risk.check(limitBuy(100, 100_00), acct, RULES, 0));
    }

    // ---------------------------------------------------------------- -4109 order rate

    @Test
    void theOrderAfterFiftyInOneSecondIsRefusedUntilTheFirstLeavesTheSecond() {
        for (int i = 0; i < 50; i++) {
            assertNull(risk.check(limitBuy(100, 100_00), acct, RULES, i));
        }
        assertRefused(TradeError.ORDER_RATE_EXCEEDED,
                "50 orders in the last second, the maximum is 50 per second per account: retry in 500 ms",
                risk.check(limitBuy(100, 100_00), acct, RULES, 500));
        assertEquals(500, risk.retryAfterMs("dev-1", 500));
        assertRefused(TradeError.ORDER_RATE_EXCEEDED, null, risk.check(limitBuy(100, 100_00), acct, RULES, 999));
        assertNull(risk.check(limitBuy(100, 100_00), acct, RULES, 1_000));
        assertNull(risk.check(limitBuy(100, 100_00), new FakeAccount("dev-2"), RULES, 1_000), "another account");
    }

    @Test
    void refusedOrdersDoNotCountAgainstTheRate() {
        for (int i = 0; i < 200; i++) {
            assertRefused(TradeError.QTY_NOT_BOARD_LOT, null, risk.check(limitBuy(150, 100_00), acct, RULES, 0));
        }
        for (int i = 0; i < 50; i++) {
            assertNull(risk.check(limitBuy(100, 100_00), acct, RULES, 0));
        }
        assertRefused(TradeError.ORDER_RATE_EXCEEDED, null, risk.check(limitBuy(100, 100_00), acct, RULES, 0));
    }

    // ---------------------------------------------------------------- -4101 buying power

    @Test
    void aBuyBeyondBuyingPowerIncludingFeesIsRefusedAndOneJustInsidePasses() {
        long fee = aShareBuyFee(100_00, 100);
        assertEquals(5_10, fee); // minimum commission 5.00 + transfer 0.10
        acct.buyingPower(1_234_56);
        assertRefused(TradeError.INSUFFICIENT_BUYING_POWER,
                "buying power 1 234.56 is less than 10 005.10 (100 x 100.00 + fees 5.10)",
                risk.check(limitBuy(100, 100_00), acct, RULES, 0));
        acct.buyingPower(100 * 100_00 + fee - 1);
        assertRefused(TradeError.INSUFFICIENT_BUYING_POWER, null, risk.check(limitBuy(100, 100_00), acct, RULES, 1));
        acct.buyingPower(100 * 100_00 + fee);
        assertNull(risk.check(limitBuy(100, 100_00), acct, RULES, 2));
    }

    @Test
    void theFeeAboveTheMinimumCommissionIsReservedToo() {
        long fee = aShareBuyFee(100_00, 10_000); // value 1 000 000.00: commission 250.00, transfer 10.00
        assertEquals(260_00, fee);
        acct.buyingPower(10_000 * 100_00 + fee - 1);
        assertRefused(TradeError.INSUFFICIENT_BUYING_POWER,
                "buying power 1 000 259.99 is less than 1 000 260.00 (10 000 x 100.00 + fees 260.00)",
                risk.check(limitBuy(10_000, 100_00), acct, RULES, 0));
        assertEquals(10_000 * 100_00 + fee, risk.buyReservation(10_000, 100_00));
    }

    @Test
    void sellsNeedNoBuyingPower() {
        acct.buyingPower(0).sellable(SYM, 100);
        assertNull(risk.check(limitSell(100, 100_00), acct, RULES, 0));
    }

    // ---------------------------------------------------------------- -4102 sellable position

    @Test
    void aSellBeyondTheSellablePositionIsRefusedAndTheWholePositionPasses() {
        acct.sellable(SYM, 300);
        assertRefused(TradeError.INSUFFICIENT_POSITION, "sellable 600000.SH is 300, less than the 400 to sell "
                + "(no short selling)", risk.check(limitSell(400, 100_00), acct, RULES, 0));
        assertRefused(TradeError.INSUFFICIENT_POSITION, null,
                risk.check(order(Side.SELL, OrderType.STOP, TimeInForce.GTC, 400, 0, 95_00), acct, RULES, 0));
        assertNull(risk.check(limitSell(300, 100_00), acct, RULES, 0));
    }

    @Test
    void noPositionMeansNoSellAtAll() {
        assertRefused(TradeError.INSUFFICIENT_POSITION, "sellable 600000.SH is 0, less than the 100 to sell "
                + "(no short selling)", risk.check(order(Side.SELL, OrderType.MARKET, TimeInForce.IOC, 100, 0, 0),
                acct, RULES, 0));
    }

    // ---------------------------------------------------------------- market buy valuation

    /**
     * With a price band the upper limit (the most a market buy can pay); without one ceil(base × (1 + bp/10 000)) up
     * to the tick: independently, in decimals.
     */
    static long expectedMarketBuyPrice(long base, int collarBp, InstrumentRules r) {
        if (r.bandPercent() > 0) {
            return Instrument.upperLimit(r.reference(), r.bandPercent(), r.tickSize());
        }
        return BigDecimal.valueOf(base).multiply(BigDecimal.valueOf(10_000 + collarBp))
                .divide(BigDecimal.valueOf(10_000 * r.tickSize()), 0, RoundingMode.CEILING)
                .multiply(BigDecimal.valueOf(r.tickSize())).longValueExact();
    }

    @Test
    void aMarketBuyReservesAtTheAskPlusTheCollarRoundedUpToTheTick() {
        RiskChecks collar1 = new RiskChecks(new RiskOptions(1_000_000, 5_000_000_000L, 500, 50, 100, 100));
        InstrumentRules r = new InstrumentRules(SYM, 5, 100, 1_000_000, 0, 100_00, 100_00, 100_05, 99_95); // no band
        OrderRequest buy = order(Side.BUY, OrderType.MARKET, TimeInForce.IOC, 200, 0, 0);
        long price = collar1.valuationPrice(buy, r);
        assertEquals(expectedMarketBuyPrice(100_05, 100, r), price);
        assertEquals(101_10, price); // 100.05 × 1.01 = 101.0505 → 101.10 on a 0.05 tick
        long needed = 200 * price + aShareBuyFee(price, 200);
        acct.buyingPower(needed - 1);
        assertEquals(5_26, aShareBuyFee(101_10, 200)); // value 20 220.00: commission 5.06 (above 5.00), transfer 0.20
        assertRefused(TradeError.INSUFFICIENT_BUYING_POWER, "buying power 20 225.25 is less than 20 225.26 "
                + "(200 x 101.10 + fees 5.26, a market buy at the ask 100.05 + 1.00 %)", collar1.check(buy, acct, r, 0));
        acct.buyingPower(needed);
        assertNull(collar1.check(buy, acct, r, 0));
    }

    @Test
    void withAPriceBandAMarketOrStopBuyReservesAtTheUpperLimitTheMostItCanPay() {
        InstrumentRules r = new InstrumentRules(SYM, 1, 100, 1_000_000, 10, 100_00, 100_50, 100_50, 100_49);
        OrderRequest buy = order(Side.BUY, OrderType.MARKET, TimeInForce.IOC, 100, 0, 0);
        assertEquals(110_00, risk.valuationPrice(buy, r)); // the ask plus a collar could be below what a sweep pays
        acct.buyingPower(0);
        assertRefused(TradeError.INSUFFICIENT_BUYING_POWER, "buying power 0.00 is less than 11 005.11 (100 x 110.00 + "
                + "fees 5.11, a market buy at the upper limit 110.00, the most it can pay)", risk.check(buy, acct, r, 0));
        assertEquals(11_005_11, 100 * 110_00 + aShareBuyFee(110_00, 100));
        // A stop buy below the market triggers at once and trades as a market order: valued at its stop plus a collar
        // (90.00 + 10 % = 99.00), 1 000 of it swept asks up to 105.00 and took cash below zero.
        assertEquals(110_00, risk.valuationPrice(order(Side.BUY, OrderType.STOP, TimeInForce.GTC, 1_000, 0, 90_00), r));
    }

    @Test
    void withoutAnAskAMarketBuyIsValuedFromTheLastPriceThenTheReference() {
        OrderRequest buy = order(Side.BUY, OrderType.MARKET, TimeInForce.IOC, 100, 0, 0);
        InstrumentRules noAsk = new InstrumentRules(SYM, 1, 100, 1_000_000, 0, 100_00, 101_00, 0, 99_99); // no band
        assertEquals(expectedMarketBuyPrice(101_00, 1_000, noAsk), risk.valuationPrice(buy, noAsk));
        InstrumentRules noTrade = new InstrumentRules(SYM, 1, 100, 1_000_000, 0, 100_00, 0, 0, 0);
        assertEquals(expectedMarketBuyPrice(100_00, 1_000, noTrade), risk.valuationPrice(buy, noTrade));
        assertEquals(110_00, risk.valuationPrice(buy, noTrade));
    }

    @Test
    void aStopBuyReservesAtItsStopPricePlusTheCollarAndAStopLimitAtItsLimit() {
        InstrumentRules r = new InstrumentRules(SYM, 1, 100, 1_000_000, 0, 100_00, 100_00, 100_01, 99_99); // no band
        assertEquals(expectedMarketBuyPrice(102_00, 1_000, r),
                risk.valuationPrice(order(Side.BUY, OrderType.STOP, TimeInForce.GTC, 100, 0, 102_00), r));
        assertEquals(103_00,
                risk.valuationPrice(order(Side.BUY, OrderType.STOP_LIMIT, TimeInForce.GTC, 100, 103_00, 102_00), r));
    }

    @Test
    void marketBuyReservationsOnSeededRandomBooksMatchAnIndependentComputation() {
        Random random = new Random(13);
        for (int i = 0; i < 5_000; i++) {
            int collar = random.nextInt(3_000);
            long tick = new long[] {1, 5, 10}[random.nextInt(3)];
            int band = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
            long reference = 1_00 + random.nextInt(1_000_00);
            long ask = Math.max(tick, Math.min(Instrument.upperLimit(reference, band == 0 ? 50 : band, tick),
                    reference + random.nextInt(2_000) - 1_000) / tick * tick);
            InstrumentRules r = new InstrumentRules(SYM, tick, 100, 1_000_000, band, reference, 0, ask, 0);
            RiskChecks checks = new RiskChecks(new RiskOptions(1_000_000, Long.MAX_VALUE / 4, 500, 50, collar, 10));
            long price = checks.valuationPrice(order(Side.BUY, OrderType.MARKET, TimeInForce.IOC, 100, 0, 0), r);
            assertEquals(expectedMarketBuyPrice(ask, collar, r), price, "ask " + ask + " collar " + collar + " " + r);
            assertTrue(price % tick == 0);
        }
    }

    // ---------------------------------------------------------------- order of the checks

    @Test
    void theChecksRunInTheDocumentedOrder() {
        RiskChecks checks = new RiskChecks(new RiskOptions(1_000, 50_000_00, 10, 3, 1_000, 100), FeeSchedule.A_SHARE);
        InstrumentRules tick5 = new InstrumentRules(SYM, 5, 100, 1_000_000, 10, 100_00, 100_00, 100_05, 99_95);
        FakeAccount a = new FakeAccount("dev-9");
        for (int i = 0; i < 3; i++) { // fill this second's order budget
            assertNull(checks.check(limitBuy(100, 100_00), a, tick5, 0));
        }
        a.killSwitch(true).openOrders(10).buyingPower(0);
        List<Integer> seen = new ArrayList<>();
        // Breaks every rule at once (stop_price on a limit, odd lot, off tick, outside the band, too many,
        // too valuable), then mends one rule at a time.
        OrderRequest[] steps = {
            order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 1_050, 110_03, 1_00),
            order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 1_050, 110_03, 0),
            order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 1_100, 110_03, 0),
            order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 1_100, 110_05, 0),
            order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 1_100, 100_00, 0),
            order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 1_000, 100_00, 0),
            order(Side.BUY, OrderType.LIMIT, TimeInForce.DAY, 500, 100_00, 0),
        };
        seen.add(checks.check(steps[0], a, tick5, 0).errorNo());
        a.killSwitch(false);
        for (OrderRequest step : steps) {
            seen.add(checks.check(step, a, tick5, 0).errorNo());
        }
        a.openOrders(9);
        seen.add(checks.check(steps[6], a, tick5, 0).errorNo());
        seen.add(checks.check(steps[6], a, tick5, 1_000).errorNo()); // a new second: rate fine, money short
        a.buyingPower(1_000_000_00);
        assertNull(checks.check(steps[6], a, tick5, 1_000));
        assertEquals(List.of(-4110, -4114, -4103, -4104, -4105, -4106, -4107, -4108, -4109, -4101), seen);
        // A sell that breaks the rate and the position gets the rate first, then the position.
        for (int i = 0; i < 2; i++) {
            assertNull(checks.check(limitBuy(100, 100_00), a, tick5, 1_000));
        }
        assertEquals(-4109, checks.check(limitSell(500, 100_00), a, tick5, 1_000).errorNo());
        assertEquals(-4102, checks.check(limitSell(500, 100_00), a, tick5, 2_000).errorNo());
    }

    @Test
    void optionsThatMakeNoSenseFailFastNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RiskOptions(0, 1, 1, 1, 0, 1));
        assertTrue(e.getMessage().contains("maxOrderQty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RiskOptions(1, 1, 1, 1, -1, 1));
        assertTrue(e.getMessage().contains("marketBuyCollarBp"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InstrumentRules(SYM, 0, 100, 1, 10, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new InstrumentRules(SYM, 1, 100, 1, 100, 1, 0, 0, 0));
    }
}
