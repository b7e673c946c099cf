package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.FeeSchedule;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderStatus;

/**
 * Seeded random flows through the real matching engine: three followed accounts trade with each other
 * and with a market maker the ledger does not follow, under T+1, with a risk check that uses the
 * ledger's buying power and sellable quantity. After every step the books are checked against an
 * independent model kept from the fills alone; at the end a snapshot taken half-way plus the rest of
 * the log, and a clean rebuild from the whole log, must give the same state hash.
 */
class LedgerAccountingTest {
    static final String[] SYMBOLS = {"600000.SH", "000001.SZ"};
    static final String[] OURS = {"a", "b", "c"};
    static final long START = 5_000_000L; // 50 000.00: buying power binds often
    static final long MIN_PRICE = 900;
    static final long MAX_PRICE = 1100;
    static final int STEPS = 3_000;
    static final long MON = Instant.parse("2026-01-05T02:00:00Z").toEpochMilli();
    static final LedgerOptions OPTIONS = LedgerOptions.A_SHARE;
    static final ToLongFunction<String> NO_MARK = s -> 0;
    static final ToLongFunction<String> MARKS = s -> s.equals(SYMBOLS[0]) ? 950 : 1050;

    /** What the fills alone say an account holds since its last open/reset. */
    static final class Model {
        long cash = START;
        long fees;
        final Map<String, Long> qty = new TreeMap<>();
        int seen;
    }

    final Map<String, Model> models = new HashMap<>();
    final Map<String, Long> symbolOf = new HashMap<>();
    int checkedSteps;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void booksBalanceExactlyAndBuyingPowerStaysNonNegativeOnRandomFlows(long seed) throws IOException {
        Random r = new Random(seed);
        ExchangeDriver x = new ExchangeDriver(OPTIONS);
        Ledger ledger = x.ledger;
        long t = MON;
        long nextId = 1;
        Map<Long, String> symbols = new HashMap<>();
        List<Long> mmOpen = new ArrayList<>();
        for (String a : OURS) {
            x.open(a, START, t);
            models.put(a, new Model());
        }
        byte[] half = null;
        int halfLog = 0;
        for (int step = 0; step < STEPS; step++) {
            t += 1 + r.nextInt(4 * 3_600_000);
            int k = r.nextInt(100);
            if (k < 35) {
                long id = nextId++;
                String sym = SYMBOLS[r.nextInt(SYMBOLS.length)];
                x.send(Command.limit(id, "mm", sym, r.nextBoolean() ? Side.BUY : Side.SELL, TimeInForce.GTC,
                        price(r), 100L * (1 + r.nextInt(5)), t));
                symbols.put(id, sym);
                mmOpen.add(id);
            } else if (k < 75) {
                long id = nextId++;
                String sym = SYMBOLS[r.nextInt(SYMBOLS.length)];
                symbols.put(id, sym);
                newOrder(x, r, OURS[r.nextInt(OURS.length)], id, sym, t);
            } else if (k < 85) {
                String a = OURS[r.nextInt(OURS.length)];
                List<Order> open = ledger.openOrders(a, null);
                if (!open.isEmpty() && r.nextBoolean()) {
                    Order o = open.get(r.nextInt(open.size()));
                    x.cancel(o.exchangeId(), o.symbol(), t);
                } else if (!mmOpen.isEmpty()) {
                    long id = mmOpen.remove(r.nextInt(mmOpen.size()));
                    x.cancel(id, symbols.get(id), t);
                }
            } else if (k < 95) {
                replace(x, r, OURS[r.nextInt(OURS.length)], t);
            } else if (k < 97) {
                String a = OURS[r.nextInt(OURS.length)];
                x.reset(a, START, t);
                models.put(a, resetModel(x, a));
                for (Order o : ledger.openOrders(a, null)) {
                    x.cancel(o.exchangeId(), o.symbol(), t); // what trade-api does after a reset
                }
            }
            for (String a : OURS) {
                check(x, a, t);
            }
            if (step == STEPS / 2) {
                half = snapshot(ledger);
                halfLog = x.log.size();
            }
        }

        long hash = ledger.stateHash();
        Ledger restored = Ledger.readSnapshot(new DataInputStream(new ByteArrayInputStream(half)), OPTIONS);
        x.replay(restored, halfLog);
        assertEquals(hash, restored.stateHash(), "snapshot at half-way + the rest of the log");
        Ledger rebuilt = x.rebuild(OPTIONS);
        assertEquals(hash, rebuilt.stateHash(), "clean rebuild from the whole log");
        byte[] full = snapshot(ledger);
        assertArrayEquals(full, snapshot(Ledger.readSnapshot(new DataInputStream(new ByteArrayInputStream(full)),
                OPTIONS)), "snapshot round trip is byte-exact");
        for (String a : OURS) {
            assertSeqGapFree(x, a);
            assertOrdersAgreeWithTheirFills(ledger, a);
            for (Ledger other : List.of(restored, rebuilt)) {
                assertEquals(ledger.account(a, MARKS), other.account(a, MARKS));
                assertEquals(ledger.positions(a, MARKS, t), other.positions(a, MARKS, t));
                assertEquals(allOrders(ledger, a), allOrders(other, a));
                assertEquals(ledger.allFills(a), other.allFills(a));
                for (Order o : ledger.openOrders(a, null)) {
                    assertEquals(ledger.reservationOf(a, o.orderId()), other.reservationOf(a, o.orderId()));
                }
            }
        }
        assertFlowWasRich(x);
        assertEquals(STEPS * OURS.length, checkedSteps);
    }

    private static long price(Random r) {
        return MIN_PRICE + 10L * r.nextInt((int) ((MAX_PRICE - MIN_PRICE) / 10) + 1);
    }

    /** A random order, sent only when the risk check (the ledger's numbers) lets it through. */
    private static void newOrder(ExchangeDriver x, Random r, String a, long id, String sym, long t) {
        Ledger l = x.ledger;
        Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
        long qty = 100L * (1 + r.nextInt(5));
        int kind = r.nextInt(10);
        OrderType type = kind == 6 ? OrderType.MARKET : kind == 8 ? OrderType.STOP
                : kind == 9 ? OrderType.STOP_LIMIT : OrderType.LIMIT;
        TimeInForce tif = kind == 6 || kind == 7 ? TimeInForce.IOC : kind == 5 ? TimeInForce.FOK : TimeInForce.GTC;
        long price = type.hasLimitPrice() ? price(r) : 0;
        long stop = type.isStop() ? price(r) : 0;
        if (side == Side.BUY) {
            long rp = type.hasLimitPrice() ? price : MAX_PRICE;
            if (l.reservationFor(rp, qty) > l.buyingPower(a)) {
                return;
            }
        } else {
            qty = Math.min(qty, l.sellable(a, sym, t));
            if (qty <= 0) {
                return;
            }
        }
        x.place(a, id, sym, side, type, tif, price, stop, qty, MAX_PRICE, t);
    }

    private static void replace(ExchangeDriver x, Random r, String a, long t) {
        Ledger l = x.ledger;
        List<Order> open = l.openOrders(a, null);
        if (open.isEmpty()) {
            return;
        }
        Order o = open.get(r.nextInt(open.size()));
        long newPrice = price(r);
        long newQty = o.filledQty() + 100L * (1 + r.nextInt(4));
        if (o.side() == Side.BUY) {
            long more = l.reservationAfterReplace(a, o.orderId(), newPrice, newQty) - l.reservationOf(a, o.orderId());
            if (more > l.buyingPower(a)) {
                return;
            }
        } else if (newQty - o.filledQty() - o.leavesQty() > l.sellable(a, o.symbol(), t)) {
            return;
        }
        x.replace(o.exchangeId(), o.symbol(), newPrice, newQty, t);
    }

    private Model resetModel(ExchangeDriver x, String a) {
        Model m = new Model();
        m.seen = x.updates.getOrDefault(a, List.of()).size();
        return m;
    }

    private void check(ExchangeDriver x, String a, long t) {
        Model m = models.get(a);
        List<Update> us = x.updates.getOrDefault(a, List.of());
        for (; m.seen < us.size(); m.seen++) {
            Fill f = us.get(m.seen).fill();
            if (f == null) {
                continue;
            }
            long value = f.price() * f.qty();
            m.cash += f.side() == Side.BUY ? -(value + f.fee()) : value - f.fee();
            m.fees += f.fee();
            m.qty.merge(f.symbol(), f.side() == Side.BUY ? f.qty() : -f.qty(), Long::sum);
            m.qty.values().removeIf(q -> q == 0);
        }
        Ledger l = x.ledger;
        AccountView v = l.account(a, NO_MARK);
        String at = a + " at " + t;
        assertEquals(v.startingCash(), v.cash() + v.marketValue() + v.feesPaid() - v.realizedPnl(),
                "cash + Σ cost + fees paid − realized == starting balance, " + at);
        assertTrue(v.buyingPower() >= 0, "buying power " + v.buyingPower() + ", " + at);
        assertEquals(m.cash, v.cash(), "cash from the fills, " + at);
        assertEquals(m.fees, v.feesPaid(), "fees from the fills, " + at);
        Map<String, Long> held = new TreeMap<>();
        for (PositionView p : l.positions(a, NO_MARK, t)) {
            held.put(p.symbol(), p.qty());
            assertTrue(p.qty() > 0, "no short under the risk check, " + at);
            assertTrue(p.sellableQty() >= 0 && p.sellableQty() <= p.qty(), "sellable within the holding, " + at);
        }
        assertEquals(m.qty, held, "holdings from the fills, " + at);
        AccountView marked = l.account(a, MARKS);
        long equity = m.cash;
        for (Map.Entry<String, Long> e : m.qty.entrySet()) {
            equity += e.getValue() * MARKS.applyAsLong(e.getKey());
        }
        assertEquals(equity, marked.equity(), "equity from the fills and marks, " + at);
        assertEquals(equity - START, marked.realizedPnl() + marked.unrealizedPnl() - marked.feesPaid(),
                "P&L adds up, " + at);
        checkedSteps++;
    }

    private static List<Order> allOrders(Ledger l, String a) {
        List<Order> out = new ArrayList<>();
        OrderQuery q = OrderQuery.of(OrderQuery.StatusFilter.ALL).withLimit(OrderQuery.MAX_LIMIT);
        Page<Order> p = l.orders(a, q);
        out.addAll(p.items());
        while (p.nextCursor() != null) {
            p = l.orders(a, q.withCursor(p.nextCursor()));
            out.addAll(p.items());
        }
        return out;
    }

    private static void assertSeqGapFree(ExchangeDriver x, String a) {
        List<Update> us = x.updates.get(a);
        for (int i = 0; i < us.size(); i++) {
            Update u = us.get(i);
            assertEquals(i + 1, u.seq(), a + " update " + i);
            if (u.order() != null) {
                assertEquals(u.seq(), u.order().updateSeq());
            }
        }
        assertEquals(us.size(), x.ledger.lastUpdateSeq(a));
    }

    private static void assertOrdersAgreeWithTheirFills(Ledger l, String a) {
        Map<String, long[]> byOrder = new HashMap<>(); // qty, value, fee
        for (Fill f : l.allFills(a)) {
            long[] s = byOrder.computeIfAbsent(f.orderId(), k -> new long[3]);
            s[0] += f.qty();
            s[1] += f.price() * f.qty();
            s[2] += f.fee();
        }
        for (Order o : allOrders(l, a)) {
            long[] s = byOrder.getOrDefault(o.orderId(), new long[3]);
            assertEquals(s[0], o.filledQty(), "filled qty of " + o.orderId());
            assertEquals(s[1], o.filledValue(), "filled value of " + o.orderId());
            // Per-order billing: the fills of an order pay exactly the schedule's fee on its total value.
            assertEquals(s[0] == 0 ? 0 : FeeSchedule.A_SHARE.fee(o.side(), s[1], 1), s[2], "fees of " + o.orderId());
            if (o.status().isOpen()) {
                assertEquals(o.qty(), o.filledQty() + o.leavesQty(), "qty = filled + leaves of " + o.orderId());
            } else {
                assertEquals(0, o.leavesQty());
            }
            if (o.status() == OrderStatus.FILLED) {
                assertEquals(o.qty(), o.filledQty(), "a filled order filled its qty: " + o.orderId());
            }
        }
    }

    /** The flow exercised what it claims to: partial fills, both liquidity sides, stops, replaces, resets. */
    private static void assertFlowWasRich(ExchangeDriver x) {
        Map<EventType, Integer> counts = new HashMap<>();
        x.events.forEach(e -> counts.merge(e.type(), 1, Integer::sum));
        for (EventType t : EventType.values()) {
            assertTrue(counts.getOrDefault(t, 0) > 0, "no " + t + " event in the flow");
        }
        long makers = 0;
        long takers = 0;
        for (String a : OURS) {
            for (Fill f : x.ledger.allFills(a)) {
                if (f.maker()) {
                    makers++;
                } else {
                    takers++;
                }
            }
        }
        assertTrue(makers > 50 && takers > 50, "maker " + makers + ", taker " + takers + " fills");
    }

    @Test
    void ordersBeforeAResetAreToldByTheirNumberNotTheirTimeAndASnapshotKeepsIt() throws IOException {
        ExchangeDriver x = new ExchangeDriver(OPTIONS);
        long t = 1_767_225_600_000L;
        x.open("alice", 100_000_000, t);
        x.limit("alice", 1, Side.BUY, 1000, 100, t); // the account's first order, in the millisecond it opened
        x.limit("alice", 2, Side.BUY, 1000, 100, t + 5);
        x.reset("alice", 100_000_000, t + 5);       // the same millisecond as order 2
        x.limit("alice", 3, Side.BUY, 1000, 100, t + 5);
        x.limit("alice", 4, Side.BUY, 1000, 100, t + 1); // placed after the reset; the clock stepped back
        Ledger restored = Ledger.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot(x.ledger))), OPTIONS);
        for (Ledger l : new Ledger[] {x.ledger, restored}) {
            assertTrue(l.placedBeforeReset("alice", "1"));
            assertTrue(l.placedBeforeReset("alice", "2"), "before the reset in its millisecond");
            assertFalse(l.placedBeforeReset("alice", "3"), "after it in the same millisecond");
            assertFalse(l.placedBeforeReset("alice", "4"), "after it, whatever the clock said");
            assertFalse(l.placedBeforeReset("alice", "99"));
        }
    }

    private static byte[] snapshot(Ledger l) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            l.writeSnapshot(out);
        }
        return b.toByteArray();
    }
}
