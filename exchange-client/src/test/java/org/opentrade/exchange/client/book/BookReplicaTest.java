package org.opentrade.exchange.client.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

class BookReplicaTest {
    private static final String SYM = "600000.SH";
    private final BookReplica book = new BookReplica(SYM);
    private long seq;

    // ------------------------------------------------------------------ events as the engine writes them

    private ExchangeEvent accepted(long id, Side side, OrderType type, TimeInForce tif, long price, long qty) {
        return new ExchangeEvent(++seq, 0, EventType.ACCEPTED, id, "a" + id, 0, null, SYM, side, type, tif, price, qty,
                qty, 0, 0, ResultCode.OK, seq, null);
    }

    private ExchangeEvent limit(long id, Side side, long price, long qty) {
        return accepted(id, side, OrderType.LIMIT, TimeInForce.GTC, price, qty);
    }

    /** Taker {@code taker} trades {@code qty} at {@code price} against maker {@code maker}. */
    private ExchangeEvent trade(long taker, long maker, long price, long qty, long takerLeaves, long makerLeaves) {
        return new ExchangeEvent(++seq, 0, EventType.TRADE, taker, "a" + taker, maker, "a" + maker, SYM, Side.SELL,
                OrderType.LIMIT, TimeInForce.GTC, price, qty, takerLeaves, qty, makerLeaves, ResultCode.OK, seq, null);
    }

    private ExchangeEvent simple(EventType type, long id, long price, long qty, long leaves) {
        return new ExchangeEvent(++seq, 0, type, id, "a" + id, 0, null, SYM, Side.BUY, OrderType.LIMIT,
                TimeInForce.GTC, price, qty, leaves, 0, 0, ResultCode.OK, seq, null);
    }

    private ExchangeEvent triggered(long id, OrderType nowType, long price, long qty) {
        return new ExchangeEvent(++seq, 0, EventType.TRIGGERED, id, "a" + id, 0, null, SYM, Side.BUY, nowType,
                TimeInForce.GTC, price, qty, qty, 0, 0, ResultCode.OK, seq, null);
    }

    private void apply(ExchangeEvent... events) {
        for (ExchangeEvent e : events) {
            assertTrue(book.apply(e), "applied " + e);
        }
    }

    private static List<BookLevel> levels(long... priceQtyCount) {
        BookLevel[] out = new BookLevel[priceQtyCount.length / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = new BookLevel(priceQtyCount[3 * i], priceQtyCount[3 * i + 1], (int) priceQtyCount[3 * i + 2]);
        }
        return List.of(out);
    }

    // ------------------------------------------------------------------ rules

    @Test
    void restingLimitOrdersAggregateIntoLevelsBestFirst() {
        apply(limit(1, Side.BUY, 1000, 100), limit(2, Side.BUY, 1001, 200), limit(3, Side.BUY, 1000, 300),
                limit(4, Side.SELL, 1003, 100), limit(5, Side.SELL, 1002, 500),
                accepted(6, Side.SELL, OrderType.LIMIT, TimeInForce.DAY, 1002, 100));
        assertEquals(levels(1001, 200, 1, 1000, 400, 2), book.bids());
        assertEquals(levels(1002, 600, 2, 1003, 100, 1), book.asks());
        assertEquals(levels(1001, 200, 1), book.bids(1));
        assertEquals(6, book.seq());
        assertEquals(6, book.orderCount());
    }

    @Test
    void ordersThatCannotRestNeverEnterTheBook() {
        apply(accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 1000, 100),
                accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 1000, 100),
                accepted(3, Side.BUY, OrderType.MARKET, TimeInForce.IOC, Price.NONE, 100),
                accepted(4, Side.BUY, OrderType.STOP, TimeInForce.GTC, Price.NONE, 100),
                accepted(5, Side.BUY, OrderType.STOP_LIMIT, TimeInForce.GTC, 1000, 100));
        assertEquals(List.of(), book.bids());
        assertEquals(0, book.orderCount());
    }

    @Test
    void tradeSetsTakerAndMakerRemainingQuantitiesAndRemovesFilledOnes() {
        apply(limit(1, Side.SELL, 1002, 300), limit(2, Side.SELL, 1003, 100));
        // a buy for 500 at 10.03 rests first (ACCEPTED), then takes 300 + 100, leaving 100 resting
        apply(limit(3, Side.BUY, 1003, 500), trade(3, 1, 1002, 300, 200, 0), trade(3, 2, 1003, 100, 100, 0));
        assertEquals(List.of(), book.asks());
        assertEquals(levels(1003, 100, 1), book.bids());
        // a partial fill of a maker keeps it at its level with less
        apply(trade(4, 3, 1003, 40, 0, 60));
        assertEquals(levels(1003, 60, 1), book.bids());
        assertEquals(60, book.leaves(3));
    }

    @Test
    void auctionTradeAtAPriceOtherThanTheMakersUpdatesBothOrdersById() {
        apply(limit(1, Side.BUY, 1005, 300), limit(2, Side.SELL, 1000, 200));
        // the uncross prices at 10.02: neither order's own price
        apply(trade(2, 1, 1002, 200, 0, 100));
        assertEquals(levels(1005, 100, 1), book.bids());
        assertEquals(List.of(), book.asks());
    }

    @Test
    void canceledAndExpiredOrdersLeaveTheBook() {
        apply(limit(1, Side.BUY, 1000, 100), limit(2, Side.BUY, 1000, 200), limit(3, Side.SELL, 1010, 50));
        apply(simple(EventType.CANCELED, 1, 1000, 100, 0), simple(EventType.EXPIRED, 3, 1010, 50, 0));
        assertEquals(levels(1000, 200, 1), book.bids());
        assertEquals(List.of(), book.asks());
        apply(simple(EventType.CANCELED, 99, 1000, 100, 0)); // unknown: nothing to do
        assertEquals(1, book.orderCount());
    }

    @Test
    void replaceMovesPriceAndQuantity() {
        apply(limit(1, Side.BUY, 1000, 300), limit(2, Side.BUY, 1000, 100));
        apply(simple(EventType.REPLACED, 1, 1001, 250, 250));
        assertEquals(levels(1001, 250, 1, 1000, 100, 1), book.bids());
        apply(simple(EventType.REPLACED, 1, 1001, 120, 120)); // lower quantity, same price
        assertEquals(levels(1001, 120, 1, 1000, 100, 1), book.bids());
        apply(simple(EventType.REPLACED, 77, 1005, 100, 100)); // not resting here: nothing
        assertEquals(2, book.orderCount());
    }

    @Test
    void replaceThatCrossesMovesTheOrderThenTradesIt() {
        apply(limit(1, Side.BUY, 1000, 300), limit(2, Side.SELL, 1002, 100));
        apply(simple(EventType.REPLACED, 1, 1002, 300, 300), trade(1, 2, 1002, 100, 200, 0));
        assertEquals(levels(1002, 200, 1), book.bids());
        assertEquals(List.of(), book.asks());
    }

    @Test
    void triggeredStopLimitRestsAndTriggeredStopDoesNot() {
        apply(accepted(1, Side.BUY, OrderType.STOP_LIMIT, TimeInForce.GTC, 1010, 100),
                accepted(2, Side.BUY, OrderType.STOP, TimeInForce.GTC, Price.NONE, 100));
        apply(triggered(1, OrderType.LIMIT, 1010, 100), triggered(2, OrderType.MARKET, Price.NONE, 100));
        assertEquals(levels(1010, 100, 1), book.bids());
        assertEquals(1, book.orderCount());
    }

    @Test
    void rejectedChangesNothing() {
        apply(limit(1, Side.BUY, 1000, 100));
        ExchangeEvent rejected = new ExchangeEvent(++seq, 0, EventType.REJECTED, 1, "a1", 0, null, SYM, Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, 1000, 100, 0, 0, 0, ResultCode.DUPLICATE_ORDER_ID, seq, null);
        apply(rejected);
        assertEquals(levels(1000, 100, 1), book.bids());
    }

    @Test
    void eventsOfOtherSymbolsAndOldEventsAreIgnored() {
        ExchangeEvent other = new ExchangeEvent(++seq, 0, EventType.ACCEPTED, 9, "x", 0, null, "000001.SZ", Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, 1000, 100, 100, 0, 0, ResultCode.OK, seq, null);
        assertFalse(book.apply(other));
        ExchangeEvent e = limit(1, Side.BUY, 1000, 100);
        assertTrue(book.apply(e));
        assertFalse(book.apply(e), "same sequence twice");
        assertEquals(1, book.orderCount());
    }

    // ------------------------------------------------------------------ snapshots

    private static OrderView resting(long id, Side side, long price, long leaves) {
        return new OrderView(id, "a" + id, SYM, side, OrderType.LIMIT, TimeInForce.GTC, price, Price.NONE, leaves,
                0, leaves, 0);
    }

    private static BookSnapshot snapshot(long seq, List<BookLevel> bids, List<BookLevel> asks, List<OrderView> orders) {
        return new BookSnapshot(0, seq, SYM, bids, asks, orders, List.of(), 1001, 1000, 1000, 1002, 999, 500, 500_000,
                3, 0, 3);
    }

    @Test
    void snapshotWithOrdersLoadsAndLaterEventsApplyOnTop() {
        book.load(snapshot(40, levels(1001, 300, 2), levels(1003, 100, 1), List.of(resting(1, Side.BUY, 1001, 100),
                resting(2, Side.BUY, 1001, 200), resting(3, Side.SELL, 1003, 100))));
        assertEquals(40, book.seq());
        seq = 38;
        assertFalse(book.apply(limit(9, Side.BUY, 999, 100)), "already in the snapshot");
        seq = 40;
        apply(trade(10, 2, 1001, 150, 0, 50));
        assertEquals(levels(1001, 150, 2), book.bids());
        assertEquals(41, book.seq());
    }

    @Test
    void snapshotsThatCannotBeFollowedAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> book.load(snapshot(5, List.of(), List.of(),
                null))).getMessage().contains("orders=true"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> book.load(snapshot(5, levels(1001, 999, 1),
                List.of(), List.of(resting(1, Side.BUY, 1001, 100))))).getMessage().contains("do not add up"));
        BookSnapshot other = new BookSnapshot(0, 5, "000001.SZ", List.of(), List.of(), List.of(), List.of(), 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> book.load(other)).getMessage()
                .contains("loaded into the book of " + SYM));
    }
}
