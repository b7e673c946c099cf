package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * {@link MatchingEngine#bookSnapshot}: every price level best first with its total and order count,
 * the resting orders in priority order, the untriggered stops, and the prices and time around them
 * (pure matching).
 */
class BookSnapshotTest extends ExchangeScenario {

    private BookSnapshot snapshot() {
        return engine().bookSnapshot(0, 0, SYMBOL, true);
    }

    private static List<Long> ids(List<OrderView> orders) {
        return orders.stream().map(OrderView::orderId).toList();
    }

    @Test
    void levelsAggregateQuantityAndOrderCountBestPriceFirst() {
        given(alice.buys(1, 100, "9.98"), bob.buys(2, 100, "9.99"), carol.buys(3, 250, "9.99"),
                alice.sells(4, 300, "10.02"), bob.sells(5, 50, "10.01"), carol.sells(6, 70, "10.02"),
                dave.sells(7, 10, "10.05"));
        BookSnapshot b = snapshot();
        assertEquals(List.of(new BookLevel(999, 350, 2), new BookLevel(998, 100, 1)), b.bids());
        assertEquals(List.of(new BookLevel(1001, 50, 1), new BookLevel(1002, 370, 2), new BookLevel(1005, 10, 1)),
                b.asks());
    }

    @Test
    void levelsShowWhatIsLeftAfterPartialFills() {
        given(alice.sells(1, 300, "10.00"), bob.sells(2, 200, "10.00"), carol.sells(3, 100, "10.01"));
        when(dave.buys(4, 350, "10.00"));
        BookSnapshot b = snapshot();
        assertEquals(List.of(), b.bids());
        assertEquals(List.of(new BookLevel(1000, 150, 1), new BookLevel(1001, 100, 1)), b.asks());
        assertEquals(new OrderView(2, "bob", SYMBOL, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 1000, Price.NONE, 200,
                50, 150, epochMillis("2024-03-04T10:00")), b.orders().get(0));
    }

    @Test
    void ordersAreListedInPriorityOrderBidsThenAsks() {
        given(alice.sells(1, 100, "10.02"), bob.buys(2, 100, "9.98"), carol.sells(3, 100, "10.01"),
                dave.buys(4, 100, "9.99"), alice.buys(5, 100, "9.99"), bob.sells(6, 100, "10.01"));
        assertEquals(List.of(4L, 5L, 2L, 3L, 6L, 1L), ids(snapshot().orders()));
    }

    @Test
    void replaceThatLosesPriorityMovesTheOrderToTheBackOfItsLevel() {
        given(alice.buys(1, 100, "9.99"), bob.buys(2, 100, "9.99"));
        when(alice.replaces(1, 200, "9.99"));
        assertEquals(List.of(2L, 1L), ids(snapshot().orders()));
        assertEquals(List.of(new BookLevel(999, 300, 2)), snapshot().bids());
    }

    @Test
    void untriggeredStopsAreListedApartFromTheBook() {
        given(alice.buys(1, 100, "9.99"), bob.sellsStop(2, 100, "9.50"), carol.buysStopLimit(3, 100, "10.50", "10.55"));
        BookSnapshot b = snapshot();
        assertEquals(List.of(new BookLevel(999, 100, 1)), b.bids());
        assertEquals(List.of(1L), ids(b.orders()));
        assertEquals(List.of(
                new OrderView(3, "carol", SYMBOL, Side.BUY, OrderType.STOP_LIMIT, TimeInForce.GTC, 1055, 1050, 100, 0,
                        100, epochMillis("2024-03-04T10:00")),
                new OrderView(2, "bob", SYMBOL, Side.SELL, OrderType.STOP, TimeInForce.GTC, Price.NONE, 950, 100, 0,
                        100, epochMillis("2024-03-04T10:00"))), b.stops());
    }

    @Test
    void triggeredStopLeavesTheStopListAndRestsAsALimitOrder() {
        given(alice.buysStopLimit(1, 100, "10.00", "9.90"), bob.sells(2, 100, "10.00"));
        when(carol.buys(3, 100, "10.00"));
        BookSnapshot b = snapshot();
        assertEquals(List.of(), b.stops());
        assertEquals(List.of(new BookLevel(990, 100, 1)), b.bids());
        assertEquals(OrderType.LIMIT, b.orders().get(0).orderType());
    }

    @Test
    void withoutOrdersOnlyTheLevelsAreCopied() {
        given(alice.buys(1, 100, "9.99"), bob.sellsStop(2, 100, "9.50"));
        BookSnapshot b = engine().bookSnapshot(0, 0, SYMBOL, false);
        assertEquals(List.of(new BookLevel(999, 100, 1)), b.bids());
        assertNull(b.orders());
        assertNull(b.stops());
    }

    @Test
    void snapshotCarriesTheGivenShardAndSequenceTheLastPriceAndTheEngineTime() {
        at("2024-03-04T10:30");
        given(alice.sells(1, 100, "10.00"), bob.buys(2, 100, "10.00"));
        BookSnapshot b = engine().bookSnapshot(3, 42, SYMBOL, false);
        assertEquals(List.of(3L, 42L, 1000L, Price.NONE, epochMillis("2024-03-04T10:30")),
                List.of((long) b.shard(), b.seq(), b.last(), b.reference(), b.time()));
        assertEquals(SYMBOL, b.symbol());
    }

    @Test
    void aSymbolWithoutAMarketHasNoSnapshot() {
        given(alice.buys(1, 100, "9.99"));
        assertNull(engine().bookSnapshot(0, 0, "NOT.TRADED", true));
        assertNull(engine().bookSnapshot(0, 0, null, true));
        assertEquals(List.of(SYMBOL), engine().symbols());
    }
}
