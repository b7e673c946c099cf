package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Side;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;

/** Holdings, T+1 sellable quantity, marks, oversells and list paging. */
class LedgerPositionsTest {
    static final String S = LedgerOrderLifecycleTest.S;
    static final long START = 100_000_000L;
    /** Monday 2026-01-05 10:00 in Shanghai. */
    static final long MON = Instant.parse("2026-01-05T02:00:00Z").toEpochMilli();
    static final long TUE = MON + 24 * 3_600_000L;

    static ExchangeDriver withShares(LedgerOptions options, long qty, long time) {
        ExchangeDriver x = new ExchangeDriver(options);
        x.open("alice", START, time);
        x.limit("alice", 1, Side.BUY, 1000, qty, time);
        x.other(101, Side.SELL, 1000, qty, time);
        return x;
    }

    @Test
    void underTPlusOneSharesBoughtTodayBecomeSellableTheNextTradingDay() {
        ExchangeDriver x = withShares(LedgerOptions.A_SHARE, 100, MON);

        assertEquals(0, x.ledger.sellable("alice", S, MON + 3_600_000));
        assertEquals(0, x.ledger.position("alice", S, s -> 0, MON).sellableQty());
        assertEquals(100, x.ledger.sellable("alice", S, TUE));
    }

    @Test
    void underTPlusOneOnlyOldSharesAreSellableOnADayWithMoreBuys() {
        ExchangeDriver x = withShares(LedgerOptions.A_SHARE, 100, MON);
        x.limit("alice", 2, Side.BUY, 1000, 200, TUE);
        x.other(102, Side.SELL, 1000, 200, TUE);

        assertEquals(100, x.ledger.sellable("alice", S, TUE));
        x.other(103, Side.BUY, 1000, 60, TUE);
        x.limit("alice", 3, Side.SELL, 1000, 60, TUE); // sells 60 of the old shares
        assertEquals(40, x.ledger.sellable("alice", S, TUE));
        assertEquals(240, x.ledger.sellable("alice", S, TUE + 24 * 3_600_000L));
    }

    @Test
    void withoutTPlusOneBoughtSharesAreSellableAtOnce() {
        ExchangeDriver x = withShares(LedgerOptions.DEFAULTS, 100, MON);

        assertEquals(100, x.ledger.sellable("alice", S, MON));
    }

    @Test
    void openSellOrdersHoldTheirShares() {
        ExchangeDriver x = withShares(LedgerOptions.DEFAULTS, 100, MON);
        x.limit("alice", 2, Side.SELL, 1200, 60, MON);

        assertEquals(40, x.ledger.sellable("alice", S, MON));
        assertEquals(40, x.ledger.position("alice", S, s -> 0, MON).sellableQty());
        x.cancel(2, S, MON);
        assertEquals(100, x.ledger.sellable("alice", S, MON));
    }

    @Test
    void holdingsAreMarkedToTheLastPriceOrAtCostWithoutOne() {
        ExchangeDriver x = withShares(LedgerOptions.DEFAULTS, 100, MON);

        PositionView marked = x.ledger.position("alice", S, s -> 1100, MON);
        assertEquals(110_000, marked.marketValue());
        assertEquals(10_000, marked.unrealizedPnl());
        assertEquals(1100, marked.lastPrice());
        PositionView atCost = x.ledger.position("alice", S, s -> 0, MON);
        assertEquals(100_000, atCost.marketValue());
        assertEquals(0, atCost.unrealizedPnl());
        assertEquals(1000, atCost.lastPrice());
        AccountView v = x.ledger.account("alice", s -> 1100);
        assertEquals(v.cash() + 110_000, v.equity());
        assertEquals(v.equity() - START, v.realizedPnl() + v.unrealizedPnl() - v.feesPaid());
    }

    @Test
    void averageCostKeepsAnExactBasisAcrossUnevenBuysAndSells() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS.withFees(
                org.opentrade.trade.domain.FeeSchedule.NONE, FeeBilling.PER_ORDER));
        x.open("alice", START, MON);
        x.limit("alice", 1, Side.BUY, 1000, 100, MON);
        x.other(101, Side.SELL, 1000, 100, MON);
        x.limit("alice", 2, Side.BUY, 1001, 200, MON);
        x.other(102, Side.SELL, 1001, 200, MON);
        // basis 100 000 + 200 200 = 300 200 for 300 shares: 10.006 66… a share
        assertEquals(1001, x.ledger.position("alice", S, s -> 0, MON).avgCost());
        x.other(103, Side.BUY, 1100, 100, MON);
        x.limit("alice", 3, Side.SELL, 1100, 100, MON);

        PositionView p = x.ledger.position("alice", S, s -> 0, MON);
        assertEquals(200, p.qty());
        assertEquals(300_200 - 300_200 * 100 / 300, p.costBasis()); // 100 066 taken, truncated
        assertEquals(110_000 - 100_066, x.ledger.account("alice", s -> 0).realizedPnl());
        x.other(104, Side.BUY, 1100, 200, MON);
        x.limit("alice", 4, Side.SELL, 1100, 200, MON);
        assertNull(x.ledger.position("alice", S, s -> 0, MON));
        assertEquals(330_000 - 300_200, x.ledger.account("alice", s -> 0).realizedPnl());
    }

    @Test
    void sellBeyondThePositionGoesShortWithoutBreakingTheBooks() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS);
        x.open("alice", START, MON);
        x.other(101, Side.BUY, 1000, 100, MON);
        x.limit("alice", 1, Side.SELL, 1000, 100, MON);

        PositionView p = x.ledger.position("alice", S, s -> 0, MON);
        assertEquals(-100, p.qty());
        assertEquals(-100_000, p.costBasis());
        assertEquals(0, p.sellableQty());
        x.other(102, Side.SELL, 900, 100, MON);
        x.limit("alice", 2, Side.BUY, 900, 100, MON);
        AccountView v = x.ledger.account("alice", s -> 0);
        assertEquals(10_000, v.realizedPnl());
        assertEquals(START, v.cash() + v.marketValue() + v.feesPaid() - v.realizedPnl());
        assertNull(x.ledger.position("alice", S, s -> 0, MON));
    }

    @Test
    void ordersPageNewestFirstWithFilters() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS);
        x.open("alice", START, MON);
        for (int i = 1; i <= 7; i++) {
            x.limit("alice", i, Side.BUY, 900 + i, 100, MON + i);
        }
        x.cancel(2, S, MON + 20);
        x.cancel(5, S, MON + 20);

        Page<Order> open = x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.OPEN).withLimit(2));
        assertEquals(List.of("7", "6"), open.items().stream().map(Order::orderId).toList());
        Page<Order> next = x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.OPEN).withLimit(2)
                .withCursor(open.nextCursor()));
        assertEquals(List.of("4", "3"), next.items().stream().map(Order::orderId).toList());
        Page<Order> end = x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.OPEN).withLimit(2)
                .withCursor(next.nextCursor()));
        assertEquals(List.of("1"), end.items().stream().map(Order::orderId).toList());
        assertNull(end.nextCursor());

        assertEquals(List.of("5", "2"), x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.CLOSED))
                .items().stream().map(Order::orderId).toList());
        assertEquals(List.of("4", "3"), x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.ALL)
                .withRange(MON + 3, MON + 5)).items().stream().map(Order::orderId).toList());
        assertEquals(0, x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.ALL).withSymbol("000001.SZ"))
                .items().size());
        assertEquals(5, x.ledger.openOrders("alice", S).size());
        assertThrows(IllegalArgumentException.class, () -> x.ledger.orders("alice",
                OrderQuery.of(OrderQuery.StatusFilter.ALL).withCursor("99")));
    }

    @Test
    void fillsPageNewestFirst() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS);
        x.open("alice", START, MON);
        x.limit("alice", 1, Side.BUY, 1000, 500, MON);
        for (int i = 0; i < 5; i++) {
            x.other(101 + i, Side.SELL, 1000, 100, MON + i);
        }

        Page<Fill> first = x.ledger.fills("alice", null, 3);
        assertEquals(List.of(MON + 4, MON + 3, MON + 2), first.items().stream().map(Fill::time).toList());
        Page<Fill> second = x.ledger.fills("alice", first.nextCursor(), 3);
        assertEquals(List.of(MON + 1, MON), second.items().stream().map(Fill::time).toList());
        assertNull(second.nextCursor());
    }
}
