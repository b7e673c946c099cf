package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.SessionPhase;

/**
 * The A-share day ({@link AShareCalendar}): the 09:15–09:25 call auction collects limit orders and
 * uncrosses at the maximum-volume price (ties: smallest imbalance, then nearest the previous close,
 * then the lower price); continuous trading 09:30–11:30 and 13:00–15:00; closed otherwise, on
 * weekends and on holidays. The previous close of {@value #SYMBOL} is 10.00.
 */
class CallAuctionTest extends ExchangeScenario {
    private static final LocalDate HOLIDAY = LocalDate.of(2024, 3, 6); // a Wednesday

    @Override
    protected MatchingEngine newEngine() {
        return MatchingEngine.withRules(TestInstruments.catalog(), new AShareCalendar(Set.of(HOLIDAY)));
    }

    @Test
    void auctionCollectsCrossingOrdersWithoutMatching() {
        at("2024-03-04T09:15");
        when(alice.sells(1, 200, "9.95"));
        then("ACCEPTED 1 SELL 200@9.95");
        when(bob.buys(2, 300, "10.05"));
        then("ACCEPTED 2 BUY 300@10.05");
        thenBook("BUY 2 300@10.05", "SELL 1 200@9.95");
        assertEquals(SessionPhase.CALL_AUCTION, engine().phase());
    }

    @Test
    void auctionUncrossesAtTheMaximumVolumePriceAt0925() {
        // Volume by candidate price: 9.95 -> 200, 9.98 -> 200, 10.02 -> 600, 10.03 -> 300, 10.05 -> 300.
        at("2024-03-04T09:16");
        given(alice.sells(1, 200, "9.95"), bob.buys(2, 300, "10.05"), carol.sells(3, 400, "10.02"),
                dave.buys(4, 500, "10.02"), alice.sells(5, 300, "10.03"), bob.buys(6, 200, "9.98"));
        whenClockReaches("2024-03-04T09:24:59.999");
        thenNothingHappens();
        whenClockReaches("2024-03-04T09:25");
        // every trade at 10.02; the later-arrived order of each pair is named first
        then("TRADE 2x1 200@10.02 leaves 100",
                "TRADE 3x2 100@10.02 leaves 300",
                "TRADE 4x3 300@10.02 leaves 200");
        thenBook("BUY 4 200@10.02", "BUY 6 200@9.98", "SELL 5 300@10.03");
        assertEquals(1002, lastTradePrice());
        assertEquals(SessionPhase.PRE_OPEN, engine().phase());
    }

    @Test
    void equalVolumesGoToTheSmallestImbalanceBeforeThePreviousClose() {
        // All four prices execute 300; imbalance is 200 at 9.98 and 10.00, 100 at 10.01 and 10.02.
        // 10.00 is the previous close, but 10.01 has the smaller imbalance and is nearer than 10.02.
        at("2024-03-04T09:20");
        given(alice.buys(1, 300, "10.02"), bob.buys(2, 200, "10.00"), carol.sells(3, 300, "9.98"),
                dave.sells(4, 100, "10.01"));
        whenClockReaches("2024-03-04T09:25");
        then("TRADE 3x1 300@10.01 leaves 0");
        thenBook("BUY 2 200@10.00", "SELL 4 100@10.01");
    }

    @Test
    void equalVolumeAndImbalanceGoToThePriceNearestThePreviousClose() {
        // 9.97 and 10.01 both execute 200 with no imbalance; 10.01 is 0.01 from the close of 10.00.
        at("2024-03-04T09:20");
        given(alice.buys(1, 200, "10.01"), bob.sells(2, 200, "9.97"));
        whenClockReaches("2024-03-04T09:25");
        then("TRADE 2x1 200@10.01 leaves 0");
        thenBookIsEmpty();
    }

    @Test
    void aCompleteTieGoesToTheLowerPrice() {
        // 9.99 and 10.01 execute 200, no imbalance, both 0.01 from the close of 10.00.
        at("2024-03-04T09:20");
        given(bob.sells(1, 200, "9.99"), alice.buys(2, 200, "10.01"));
        whenClockReaches("2024-03-04T09:25");
        then("TRADE 2x1 200@9.99 leaves 0");
    }

    @Test
    void auctionPriceUsesThePreviousCloseOfEachInstrument() {
        // 000001.SZ closed at 10.05: between 9.99 and 10.01 the nearer is now 10.01.
        at("2024-03-04T09:20");
        given(bob.sells(1, 200, "9.99").on(TestInstruments.SZ_MAIN),
                alice.buys(2, 200, "10.01").on(TestInstruments.SZ_MAIN));
        whenClockReaches("2024-03-04T09:25");
        then("TRADE 2x1 200@10.01 leaves 0");
    }

    @Test
    void bookThatDoesNotCrossIsLeftAloneAtTheUncross() {
        at("2024-03-04T09:20");
        given(alice.buys(1, 100, "9.99"), bob.sells(2, 100, "10.00"));
        whenClockReaches("2024-03-04T09:25");
        thenNothingHappens();
        thenBook("BUY 1 100@9.99", "SELL 2 100@10.00");
    }

    @Test
    void marketOrdersAreRefusedInTheAuction() {
        at("2024-03-04T09:20");
        given(alice.sells(1, 100, "10.00"));
        when(bob.buysAtMarket(2, 100));
        thenRejected(2, ResultCode.ORDER_TYPE_NOT_ALLOWED);
    }

    @Test
    void iocAndFokOrdersAreRefusedInTheAuction() {
        at("2024-03-04T09:20");
        when(bob.buys(1, 100, "10.00").ioc());
        thenRejected(1, ResultCode.ORDER_TYPE_NOT_ALLOWED);
        when(bob.buys(2, 100, "10.00").fok());
        thenRejected(2, ResultCode.ORDER_TYPE_NOT_ALLOWED);
    }

    @Test
    void preOpenCollectsOrdersThatAreUncrossedWhenContinuousTradingStarts() {
        at("2024-03-04T09:26");
        given(alice.sells(1, 100, "9.99"), bob.buys(2, 100, "10.01"));
        thenBook("BUY 2 100@10.01", "SELL 1 100@9.99");
        whenClockReaches("2024-03-04T09:30");
        then("TRADE 2x1 100@9.99 leaves 0");
        assertEquals(SessionPhase.CONTINUOUS, engine().phase());
    }

    @Test
    void continuousTradingMatchesAtTheMakersPriceFrom0930() {
        at("2024-03-04T09:30");
        given(alice.sells(1, 100, "9.99"));
        when(bob.buys(2, 100, "10.01"));
        then("ACCEPTED 2 BUY 100@10.01", "TRADE 2x1 100@9.99 leaves 0");
    }

    @Test
    void stopsWaitThroughTheAuctionAndFireWhenContinuousTradingStarts() {
        at("2024-03-04T09:20");
        given(alice.buysStop(9, 100, "10.00"), bob.sells(1, 300, "10.00"), carol.buys(2, 100, "10.00"));
        whenClockReaches("2024-03-04T09:25");
        then("TRADE 2x1 100@10.00 leaves 0");
        whenClockReaches("2024-03-04T09:30");
        then("TRIGGERED 9 BUY 100@MKT", "TRADE 9x1 100@10.00 leaves 0");
        thenBook("SELL 1 100@10.00");
    }

    @Test
    void ordersBeforeTheAuctionOpensAreRefused() {
        at("2024-03-04T09:14:59.999");
        when(alice.buys(1, 100, "10.00"));
        thenRejected(1, ResultCode.MARKET_CLOSED);
        assertEquals(SessionPhase.CLOSED, engine().phase());
    }

    @Test
    void ordersAreRefusedAtLunchAndAcceptedAgainAt1300() {
        at("2024-03-04T11:30");
        when(alice.buys(1, 100, "10.00"));
        thenRejected(1, ResultCode.MARKET_CLOSED);
        assertEquals(SessionPhase.BREAK, engine().phase());
        at("2024-03-04T12:59:59.999");
        when(alice.buys(2, 100, "10.00"));
        thenRejected(2, ResultCode.MARKET_CLOSED);
        at("2024-03-04T13:00");
        when(alice.buys(3, 100, "10.00"));
        then("ACCEPTED 3 BUY 100@10.00");
    }

    @Test
    void ordersAreRefusedAfterTheClose() {
        at("2024-03-04T14:59");
        given(alice.sells(1, 100, "10.00"));
        at("2024-03-04T15:00");
        when(bob.buys(2, 100, "10.00"));
        thenRejected(2, ResultCode.MARKET_CLOSED);
        when(bob.buysAtMarket(3, 100));
        thenRejected(3, ResultCode.MARKET_CLOSED);
    }

    @Test
    void cancelsAreAcceptedWhileTheMarketIsClosed() {
        at("2024-03-04T10:00");
        given(alice.buys(1, 100, "9.90"), alice.buys(2, 100, "9.91"));
        at("2024-03-04T12:00");
        when(alice.cancels(1));
        then("CANCELED 1 100");
        at("2024-03-04T20:00");
        when(alice.cancels(2));
        then("CANCELED 2 100");
    }

    @Test
    void replacesAreRefusedWhileTheMarketIsClosed() {
        at("2024-03-04T10:00");
        given(alice.buys(1, 200, "9.90"));
        at("2024-03-04T12:00");
        when(alice.replaces(1, 100, "9.90"));
        thenRejected(1, ResultCode.MARKET_CLOSED);
    }

    @Test
    void weekendsAreClosed() {
        at("2024-03-09T10:00");
        when(alice.buys(1, 100, "10.00"));
        thenRejected(1, ResultCode.MARKET_CLOSED);
        at("2024-03-10T09:20");
        when(alice.buys(2, 100, "10.00"));
        thenRejected(2, ResultCode.MARKET_CLOSED);
        at("2024-03-11T09:20"); // Monday
        when(alice.buys(3, 100, "10.00"));
        then("ACCEPTED 3 BUY 100@10.00");
    }

    @Test
    void configuredHolidaysAreClosed() {
        at("2024-03-06T10:00");
        when(alice.buys(1, 100, "10.00"));
        thenRejected(1, ResultCode.MARKET_CLOSED);
    }

    @Test
    void dayOrdersExpireAtTheCloseAndTheNextAuctionStartsFromGtcOrders() {
        at("2024-03-04T14:00");
        given(alice.buys(1, 100, "9.95").day(), bob.buys(2, 100, "10.00"));
        whenClockReaches("2024-03-04T15:00");
        then("EXPIRED 1 100");
        at("2024-03-05T09:20");
        given(carol.sells(3, 100, "9.90"));
        whenClockReaches("2024-03-05T09:25");
        then("TRADE 3x2 100@10.00 leaves 0"); // 9.90 and 10.00 tie; 10.00 is the previous close
    }

    @Test
    void nextAuctionIsNearestTheLastCloseNotTheInstrumentsOriginalOne() {
        at("2024-03-04T10:00");
        given(alice.sells(1, 100, "10.50"), bob.buys(2, 100, "10.50"));
        givenClockReaches("2024-03-04T15:00");
        assertEquals(1050, engine().referencePrice(SYMBOL));
        // 10.00 and 10.49 both execute 100 with no imbalance: 10.49 is nearer the new close of 10.50
        at("2024-03-05T09:20");
        given(carol.sells(3, 100, "10.00"), dave.buys(4, 100, "10.49"));
        whenClockReaches("2024-03-05T09:25");
        then("TRADE 4x3 100@10.49 leaves 0");
    }
}
