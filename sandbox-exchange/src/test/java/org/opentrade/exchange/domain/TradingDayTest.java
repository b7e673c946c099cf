package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.opentrade.exchange.domain.TestInstruments.SZ_MAIN;

import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.TradingCalendar;

/**
 * The 24×7 session ({@link ContinuousCalendar}): DAY orders expire at the configured day end while
 * GTC orders stay, and the price band re-centres on the last price.
 */
class TradingDayTest extends ExchangeScenario {
    private TradingCalendar calendar = new ContinuousCalendar(); // Asia/Shanghai, 15:00

    @Override
    protected MatchingEngine newEngine() {
        return MatchingEngine.withRules(TestInstruments.catalog(), calendar);
    }

    @Test
    void dayOrdersExpireAtTheDayEndWhileGtcOrdersStay() {
        at("2024-03-04T10:00");
        given(alice.buys(1, 100, "9.90").day(), bob.buys(2, 100, "9.89"), carol.sells(3, 100, "10.10").day(),
                dave.sells(4, 100, "10.10").day().on(SZ_MAIN));
        whenClockReaches("2024-03-04T14:59:59.999");
        thenNothingHappens();
        whenClockReaches("2024-03-04T15:00");
        then("EXPIRED 4 100", "EXPIRED 1 100", "EXPIRED 3 100"); // symbol order, then book order
        thenBook("BUY 2 100@9.89");
        thenBookOf(SZ_MAIN);
    }

    @Test
    void partiallyFilledDayOrderExpiresItsRemainder() {
        given(alice.buys(1, 300, "10.00").day(), bob.sells(2, 100, "10.00"));
        whenClockReaches("2024-03-04T15:00");
        then("EXPIRED 1 200");
        thenBookIsEmpty();
    }

    @Test
    void dayOrderEnteredAfterTheDayEndLivesUntilTheNextOne() {
        at("2024-03-04T15:30");
        given(alice.buys(1, 100, "9.90").day());
        whenClockReaches("2024-03-05T14:59");
        thenNothingHappens();
        whenClockReaches("2024-03-05T15:00:00.001");
        then("EXPIRED 1 100");
    }

    @Test
    void dayOrdersExpireOnceWhenTimeJumpsOverSeveralDayEnds() {
        given(alice.buys(1, 100, "9.90").day());
        whenClockReaches("2024-03-08T16:00");
        then("EXPIRED 1 100");
        assertNull(engine().order(1));
    }

    @Test
    void theCommandThatCrossesTheDayEndSeesDayOrdersAlreadyExpired() {
        given(alice.sells(1, 100, "10.00").day());
        at("2024-03-04T15:00");
        when(bob.buys(2, 100, "10.00"));
        then("EXPIRED 1 100", "ACCEPTED 2 BUY 100@10.00");
    }

    @Test
    void untriggeredDayStopsExpireToo() {
        given(alice.buysStop(1, 100, "10.50").day(), bob.sellsStop(2, 100, "9.50"));
        whenClockReaches("2024-03-04T15:00");
        then("EXPIRED 1 100");
        when(bob.cancels(2));
        then("CANCELED 2 100");
    }

    @Test
    void dayEndFollowsTheConfiguredZoneAndTime() {
        calendar = new ContinuousCalendar(ZoneId.of("UTC"), LocalTime.of(22, 0));
        at("2024-03-04T15:00"); // 07:00 UTC
        given(alice.buys(1, 100, "9.90").day());
        whenClockReaches("2024-03-05T05:59"); // 21:59 UTC
        thenNothingHappens();
        whenClockReaches("2024-03-05T06:00"); // 22:00 UTC
        then("EXPIRED 1 100");
    }

    @Test
    void ordersAreAcceptedAndMatchedAroundTheClockAndOnWeekends() {
        at("2024-03-09T03:00"); // Saturday night in Shanghai
        given(alice.sells(1, 100, "10.00"));
        when(bob.buys(2, 100, "10.00"));
        then("ACCEPTED 2 BUY 100@10.00", "TRADE 2x1 100@10.00 leaves 0");
    }

    @Test
    void bandRecentresOnTheLastPriceAtTheDayEnd() {
        given(alice.sells(1, 100, "10.50"), bob.buys(2, 100, "10.50"));
        when(carol.buys(3, 100, "11.55"));
        thenRejected(3, ResultCode.PRICE_OUTSIDE_BAND);

        givenClockReaches("2024-03-04T15:00");
        assertEquals(1050, engine().referencePrice(SYMBOL));
        when(carol.sells(4, 100, "11.55"));
        then("ACCEPTED 4 SELL 100@11.55");
        when(carol.buys(5, 100, "11.56"));
        thenRejected(5, ResultCode.PRICE_OUTSIDE_BAND);
        when(carol.buys(6, 100, "9.44"));
        thenRejected(6, ResultCode.PRICE_OUTSIDE_BAND);
        when(carol.buys(7, 100, "9.45"));
        then("ACCEPTED 7 BUY 100@9.45");
    }

    @Test
    void bandStaysOnTheOldReferenceAfterADayWithoutTrades() {
        given(alice.sells(1, 100, "10.50"));
        givenClockReaches("2024-03-04T15:00");
        assertEquals(1000, engine().referencePrice(SYMBOL));
        assertEquals(1005, engine().referencePrice(SZ_MAIN));
        when(carol.buys(2, 100, "11.01"));
        thenRejected(2, ResultCode.PRICE_OUTSIDE_BAND);
    }

    @Test
    void bandUsesTheLastTradeOfTheDayNotTheFirst() {
        given(alice.sells(1, 100, "10.20"), bob.buys(2, 100, "10.20"),
                alice.sells(3, 100, "9.80"), bob.buys(4, 100, "9.80"));
        givenClockReaches("2024-03-04T15:00");
        assertEquals(980, engine().referencePrice(SYMBOL));
    }
}
