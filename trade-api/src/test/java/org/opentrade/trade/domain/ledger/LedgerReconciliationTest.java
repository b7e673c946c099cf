package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Side;
import org.opentrade.trade.domain.Fill;

/**
 * A quant's reconciliation of the account from its fills, every figure computed here with BigDecimal from the
 * documented A-share rule (commission 0.025 %, at least 5.00 per order; stamp duty 0.05 % on sells; transfer fee
 * 0.001 %; each half up to the cent on the order's filled value, each fill paying the increase), never by the
 * production fee code.
 */
class LedgerReconciliationTest {
    static final String S = "600000.SH";
    static final long START = 100_000_000L;
    /** Monday 2026-01-05 10:00 in Shanghai. */
    static final long MON = Instant.parse("2026-01-05T02:00:00Z").toEpochMilli();
    static final long TUE = MON + 24 * 3_600_000L;
    /** The last millisecond of Monday and the first of Tuesday in Shanghai (UTC+8). */
    static final long MON_END = Instant.parse("2026-01-05T15:59:59.999Z").toEpochMilli();
    static final long TUE_START = MON_END + 1;

    private static BigDecimal cny(long hundredths) {
        return BigDecimal.valueOf(hundredths, 2);
    }

    private static BigDecimal cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }

    /** The documented fee of an order that has filled {@code value} CNY so far. */
    private static BigDecimal orderFee(Side side, BigDecimal value) {
        BigDecimal commission = cents(value.multiply(new BigDecimal("0.00025"))).max(new BigDecimal("5.00"));
        BigDecimal stamp = side == Side.SELL ? cents(value.multiply(new BigDecimal("0.0005"))) : BigDecimal.ZERO;
        return commission.add(stamp).add(cents(value.multiply(new BigDecimal("0.00001"))));
    }

    private static long hundredths(BigDecimal v) {
        return v.movePointRight(2).longValueExact();
    }

    @Test
    void theFeesOfASellsPartialFillsAddUpToTheOrdersDocumentedFeeStampDutyIncluded() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.A_SHARE);
        x.open("alice", START, MON);
        x.limit("alice", 1, Side.BUY, 10_51, 1_000, MON);
        x.other(101, Side.SELL, 10_51, 1_000, MON);
        x.limit("alice", 2, Side.SELL, 10_51, 1_000, TUE);
        long[] parts = {333, 333, 334};
        for (int i = 0; i < parts.length; i++) {
            x.other(102 + i, Side.BUY, 10_51, parts[i], TUE);
        }

        BigDecimal price = new BigDecimal("10.51");
        BigDecimal buyFee = orderFee(Side.BUY, price.multiply(BigDecimal.valueOf(1_000)));
        assertEquals(new BigDecimal("5.11"), buyFee);
        List<Fill> sells = x.ledger.allFills("alice").stream().filter(f -> f.side() == Side.SELL).toList();
        assertEquals(3, sells.size());
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal billed = BigDecimal.ZERO;
        for (int i = 0; i < parts.length; i++) {
            filled = filled.add(price.multiply(BigDecimal.valueOf(parts[i])));
            BigDecimal due = orderFee(Side.SELL, filled).subtract(billed);
            assertEquals(hundredths(due), sells.get(i).fee(), "fill " + i);
            billed = billed.add(due);
        }
        BigDecimal sellFee = orderFee(Side.SELL, price.multiply(BigDecimal.valueOf(1_000)));
        assertEquals(new BigDecimal("10.37"), sellFee); // 5.00 + stamp 5.26 (5.255 up) + transfer 0.11 (0.1051 up)
        assertEquals(sellFee, billed, "the fills pay the order's fee exactly: no rounding drift");
        AccountView a = x.ledger.account("alice", s -> 0);
        assertEquals(hundredths(buyFee.add(sellFee)), a.feesPaid());
        assertEquals(START - hundredths(buyFee.add(sellFee)), a.cash());
        assertEquals(0, a.realizedPnl());
        assertEquals(0, a.reserved());
        assertEquals(List.of(), x.ledger.positions("alice", s -> 0, TUE));
    }

    @Test
    void averageCostAndRealizedPnlAfterPartialSellsReconcileToTheCentAndTheBooksBalanceAtZero() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.A_SHARE);
        x.open("alice", START, MON);
        x.limit("alice", 1, Side.BUY, 10_00, 300, MON);
        x.other(101, Side.SELL, 10_00, 300, MON);
        x.limit("alice", 2, Side.BUY, 10_03, 200, MON);
        x.other(102, Side.SELL, 10_03, 200, MON);
        PositionView p = x.ledger.position("alice", S, s -> 0, MON);
        BigDecimal basis = new BigDecimal("3000.00").add(new BigDecimal("2006.00"));
        assertEquals(hundredths(basis), p.costBasis());
        assertEquals(hundredths(cents(basis.divide(BigDecimal.valueOf(500), 10, RoundingMode.HALF_UP))), p.avgCost());
        assertEquals(0, p.sellableQty(), "bought today");

        x.other(103, Side.BUY, 10_50, 100, TUE);
        x.limit("alice", 3, Side.SELL, 10_50, 100, TUE);
        BigDecimal taken = basis.multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(500), 2, RoundingMode.DOWN);
        BigDecimal realized1 = new BigDecimal("1050.00").subtract(taken);
        assertEquals(new BigDecimal("48.80"), realized1);
        assertEquals(hundredths(realized1), x.ledger.account("alice", s -> 0).realizedPnl());
        p = x.ledger.position("alice", S, s -> 0, TUE);
        assertEquals(400, p.qty());
        assertEquals(hundredths(basis.subtract(taken)), p.costBasis());

        x.other(104, Side.BUY, 9_90, 400, TUE);
        x.limit("alice", 4, Side.SELL, 9_90, 400, TUE);
        assertNull(x.ledger.position("alice", S, s -> 0, TUE), "flat: no position left");
        BigDecimal proceeds = new BigDecimal("1050.00").add(new BigDecimal("3960.00"));
        AccountView a = x.ledger.account("alice", s -> 0);
        assertEquals(hundredths(proceeds.subtract(basis)), a.realizedPnl(), "all sold: proceeds − all cost");
        BigDecimal fees = orderFee(Side.BUY, new BigDecimal("3000.00")).add(orderFee(Side.BUY, new BigDecimal("2006.00")))
                .add(orderFee(Side.SELL, new BigDecimal("1050.00"))).add(orderFee(Side.SELL, new BigDecimal("3960.00")));
        assertEquals(hundredths(fees), a.feesPaid());
        assertEquals(hundredths(cny(START).subtract(basis).add(proceeds).subtract(fees)), a.cash());
        assertEquals(a.cash(), a.equity());
        assertEquals(a.equity() - START, a.realizedPnl() + a.unrealizedPnl() - a.feesPaid());
    }

    @Test
    void sharesBoughtOnATradingDayBecomeSellableAtTheFirstMomentOfTheNextInShanghai() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.A_SHARE);
        x.open("alice", START, MON);
        x.limit("alice", 1, Side.BUY, 10_00, 500, MON);
        x.other(101, Side.SELL, 10_00, 500, MON);

        assertEquals(0, x.ledger.sellable("alice", S, MON_END));
        assertEquals(500, x.ledger.sellable("alice", S, TUE_START));
        x.limit("alice", 2, Side.BUY, 10_00, 200, TUE_START);
        x.other(102, Side.SELL, 10_00, 200, TUE_START);
        assertEquals(500, x.ledger.sellable("alice", S, TUE_START), "Tuesday's 200 wait for Wednesday");
        assertEquals(700, x.ledger.position("alice", S, s -> 0, TUE_START).qty());
    }

    @Test
    void aResetLeavesExactlyTheNewBalanceWithNothingReservedHeldOrOwed() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.A_SHARE);
        x.open("alice", START, MON);
        x.limit("alice", 1, Side.BUY, 10_00, 500, MON);
        x.other(101, Side.SELL, 10_00, 300, MON); // 300 of 500
        x.limit("alice", 2, Side.BUY, 9_00, 100, MON);
        x.reset("alice", 50_000_000L, MON + 1);
        for (long id : new long[] {1, 2}) {
            x.cancel(id, S, MON + 2); // what the desk sends after a reset
        }
        AccountView a = x.ledger.account("alice", s -> 0);
        assertEquals(new AccountView("alice", 50_000_000L, 50_000_000L, 0, 50_000_000L, 0, 0, 0, 0, 50_000_000L, 0), a);
        assertEquals(List.of(), x.ledger.positions("alice", s -> 0, MON + 2));
    }
}
