package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.FeeSchedule;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.OrderStatus;

/**
 * The incremental reservations (cash reserved by open buys, shares held by open sells) equal a full
 * recomputation over the open orders after every step of seeded random flows: new orders of every
 * type and time in force, partial and full fills against a market maker, cancels, replaces up and
 * down, sends that fail (rejected), IOC/FOK remainders, account resets. The reference is the
 * computation the ledger used before it kept the sums, with BigInteger fees; a snapshot restored
 * half-way must rebuild the same sums.
 */
class LedgerReservationTest {
    static final String[] SYMBOLS = {"600000.SH", "000001.SZ"};
    static final String[] OURS = {"a", "b"};
    static final long START = 20_000_000L;
    static final int STEPS = 4_000;
    static final BigInteger UNIT = BigInteger.valueOf(1_000_000);

    @ParameterizedTest(name = "seed {0}, {1}")
    @CsvSource({"1, PER_ORDER", "2, PER_ORDER", "3, PER_FILL", "4, PER_FILL"})
    void incrementalReservationsEqualAFullRecomputationAfterEveryStep(long seed, FeeBilling billing) throws IOException {
        LedgerOptions options = LedgerOptions.DEFAULTS.withFees(FeeSchedule.A_SHARE, billing);
        Random r = new Random(seed);
        ExchangeDriver x = new ExchangeDriver(options);
        long t = 1_767_578_400_000L;
        long nextId = 1;
        Map<Long, String> mmSymbols = new HashMap<>();
        List<Long> mmOpen = new ArrayList<>();
        Set<OrderStatus> seen = EnumSet.noneOf(OrderStatus.class);
        for (String a : OURS) {
            x.open(a, START, t);
        }
        // Some shares to sell from the start.
        for (String sym : SYMBOLS) {
            long mm = nextId++;
            x.send(Command.limit(mm, "mm", sym, Side.SELL, TimeInForce.GTC, 1000, 4_000, t));
            for (String a : OURS) {
                x.place(a, nextId++, sym, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 0, 2_000, 0, t);
            }
        }
        byte[] half = null;
        int halfLog = 0;
        for (int step = 0; step < STEPS; step++) {
            t += 1 + r.nextInt(60_000);
            int k = r.nextInt(100);
            String a = OURS[r.nextInt(OURS.length)];
            String sym = SYMBOLS[r.nextInt(SYMBOLS.length)];
            if (k < 30) {
                long id = nextId++;
                x.send(Command.limit(id, "mm", sym, r.nextBoolean() ? Side.BUY : Side.SELL, TimeInForce.GTC,
                        price(r), 100L * (1 + r.nextInt(8)), t));
                mmSymbols.put(id, sym);
                mmOpen.add(id);
            } else if (k < 62) {
                newOrder(x, r, a, nextId++, sym, t);
            } else if (k < 67) {
                // Logged, then the send fails before the exchange: rejected by intent.
                long id = nextId++;
                OrderRequest req = new OrderRequest("c" + id, sym, Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                        100, price(r), 0);
                if (x.ledger.reservationFor(req.price(), 100) <= x.ledger.buyingPower(a)) {
                    x.intent(l -> l.recordNewOrder(a, id, req, 0, 0));
                    x.intent(l -> l.recordSendFailure(a, Long.toString(id), -9003, "shard overloaded", 0));
                }
            } else if (k < 77) {
                List<Order> open = x.ledger.openOrders(a, null);
                if (!open.isEmpty() && r.nextBoolean()) {
                    Order o = open.get(r.nextInt(open.size()));
                    x.cancel(o.exchangeId(), o.symbol(), t);
                } else if (!mmOpen.isEmpty()) {
                    long id = mmOpen.remove(r.nextInt(mmOpen.size()));
                    x.cancel(id, mmSymbols.get(id), t);
                }
            } else if (k < 95) {
                replace(x, r, a, t);
            } else if (k < 97) {
                x.reset(a, START, t);
                for (Order o : x.ledger.openOrders(a, null)) {
                    x.cancel(o.exchangeId(), o.symbol(), t);
                }
            }
            for (String acct : OURS) {
                assertReservationsMatchRecomputation(x.ledger, acct, options, "step " + step);
                for (Order o : x.ledger.openOrders(acct, null)) {
                    seen.add(o.status());
                }
            }
            for (Update u : x.updates.getOrDefault(a, List.of())) {
                if (u.order() != null) {
                    seen.add(u.order().status());
                }
            }
            if (step == STEPS / 2) {
                half = snapshot(x.ledger);
                halfLog = x.log.size();
            }
        }
        Ledger restored = Ledger.readSnapshot(new DataInputStream(new ByteArrayInputStream(half)), options);
        for (String acct : OURS) {
            assertReservationsMatchRecomputation(restored, acct, options, "restored half-way");
        }
        x.replay(restored, halfLog);
        for (String acct : OURS) {
            assertReservationsMatchRecomputation(restored, acct, options, "restored + replay");
            assertEquals(x.ledger.buyingPower(acct), restored.buyingPower(acct));
        }
        assertTrue(seen.containsAll(EnumSet.of(OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED, OrderStatus.FILLED,
                OrderStatus.CANCELED, OrderStatus.REJECTED)), "the flow reached every status: " + seen);
    }

    /** The reference (T+1 off in these flows): a pass over the open orders, fees in BigInteger, as the ledger computed it before. */
    static void assertReservationsMatchRecomputation(Ledger l, String account, LedgerOptions options, String at) {
        AccountBook a = l.book(account);
        long cash = 0;
        Map<String, Long> held = new TreeMap<>();
        for (OrderEntry e : a.orders.values()) {
            if (!e.status.isOpen()) {
                continue;
            }
            if (e.side == Side.SELL) {
                held.merge(e.symbol, e.leavesQty, Long::sum);
            } else if (e.leavesQty > 0) {
                long leavesValue = e.leavesQty * e.reservePrice;
                long fee = options.feeBilling() == FeeBilling.PER_ORDER
                        ? Math.max(0, referenceFee(options.fees(), e.filledValue + leavesValue, 1) - e.feesBilled)
                        : referenceFee(options.fees(), e.reservePrice, e.leavesQty);
                cash += leavesValue + fee;
            }
        }
        held.values().removeIf(q -> q == 0);
        Map<String, Long> incremental = new TreeMap<>();
        a.heldForSells.forEach((s, q) -> incremental.put(s, q[0]));
        assertEquals(cash, a.reserved, account + " reserved cash, " + at);
        assertEquals(held, incremental, account + " shares held by open sells, " + at);
        assertEquals(a.cash - cash, l.buyingPower(account), account + " buying power, " + at);
        for (String sym : SYMBOLS) {
            Holding h = a.holdings.get(sym);
            long expected = h == null ? 0 : Math.max(0, h.sellableShares(null) - held.getOrDefault(sym, 0L));
            assertEquals(expected, l.sellable(account, sym, 0), account + " " + sym + ", " + at);
        }
    }

    /** A buy's fee with BigInteger parts (rounded half up), independent of FeeSchedule's arithmetic. */
    static long referenceFee(FeeSchedule f, long price, long qty) {
        BigInteger value = BigInteger.valueOf(price).multiply(BigInteger.valueOf(qty));
        long commission = f.commissionRate() == 0 ? 0 : Math.max(f.minCommission(), part(value, f.commissionRate()));
        return commission + part(value, f.transferRate());
    }

    private static long part(BigInteger value, long rate) {
        return value.multiply(BigInteger.valueOf(rate)).add(UNIT.shiftRight(1)).divide(UNIT).longValueExact();
    }

    private static long price(Random r) {
        return 900 + 10L * r.nextInt(21);
    }

    private static void newOrder(ExchangeDriver x, Random r, String a, long id, String sym, long t) {
        Ledger l = x.ledger;
        Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
        long qty = 100L * (1 + r.nextInt(6));
        int kind = r.nextInt(10);
        OrderType type = kind == 6 ? OrderType.MARKET : kind == 8 ? OrderType.STOP
                : kind == 9 ? OrderType.STOP_LIMIT : OrderType.LIMIT;
        TimeInForce tif = kind == 6 || kind == 7 ? TimeInForce.IOC : kind == 5 ? TimeInForce.FOK
                : kind == 4 ? TimeInForce.DAY : TimeInForce.GTC;
        long price = type.hasLimitPrice() ? price(r) : 0;
        long stop = type.isStop() ? price(r) : 0;
        if (side == Side.BUY) {
            if (l.reservationFor(type.hasLimitPrice() ? price : 1100, qty) > l.buyingPower(a)) {
                return;
            }
        } else {
            qty = Math.min(qty, l.sellable(a, sym, t));
            if (qty <= 0) {
                return;
            }
        }
        x.place(a, id, sym, side, type, tif, price, stop, qty, 1100, t);
    }

    private static void replace(ExchangeDriver x, Random r, String a, long t) {
        Ledger l = x.ledger;
        List<Order> open = l.openOrders(a, null);
        if (open.isEmpty()) {
            return;
        }
        Order o = open.get(r.nextInt(open.size()));
        long newQty = o.filledQty() + 100L * (1 + r.nextInt(5));
        long newPrice = price(r);
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

    private static byte[] snapshot(Ledger l) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        l.writeSnapshot(new DataOutputStream(b));
        return b.toByteArray();
    }
}
