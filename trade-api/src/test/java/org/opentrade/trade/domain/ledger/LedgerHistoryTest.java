package org.opentrade.trade.domain.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;

/**
 * An account's history is bounded ({@link LedgerOptions#historyKept()}): the orders closed last and the newest
 * fills are kept, open orders always; the books never depend on it; what is kept is state (snapshot, replay and a
 * clean rebuild agree); a version 1 snapshot, from before the bound, is still read.
 */
class LedgerHistoryTest {
    static final long T = LedgerOrderLifecycleTest.T;
    static final String S = LedgerOrderLifecycleTest.S;
    static final ToLongFunction<String> MARKS = s -> 1000;

    private static List<String> ids(List<Order> orders) {
        return orders.stream().map(Order::orderId).toList();
    }

    /** Every order of {@code status} kept, newest first, read in pages of 2. */
    private static List<Order> paged(Ledger l, String account, OrderQuery.StatusFilter status) {
        List<Order> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Order> p = l.orders(account, OrderQuery.of(status).withLimit(2).withCursor(cursor));
            out.addAll(p.items());
            cursor = p.nextCursor();
        } while (cursor != null);
        return out;
    }

    private static List<Order> all(Ledger l, String account) {
        return paged(l, account, OrderQuery.StatusFilter.ALL);
    }

    private static List<Fill> allFillsPaged(Ledger l, String account) {
        List<Fill> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Fill> p = l.fills(account, cursor, 2);
            out.addAll(p.items());
            cursor = p.nextCursor();
        } while (cursor != null);
        return out;
    }

    @Test
    void theOrdersClosedLastAndTheNewestFillsAreKeptOpenOrdersAlways() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS.withHistoryKept(3));
        x.open("alice", 100_000_000, T);
        x.limit("alice", 1, Side.BUY, 900, 100, T); // rests: open all along, closed last of all below
        for (long id = 2; id <= 7; id++) {         // six orders, each filled at once: 2..7 close in order
            x.other(100 + id, Side.SELL, 1000, 100, T + id);
            x.limit("alice", id, Side.BUY, 1000, 100, T + id);
        }
        Ledger l = x.ledger;
        assertEquals(List.of("7", "6", "5", "1"), ids(all(l, "alice")), "3 closed last, and the open one");
        assertNull(l.order("alice", "2"));
        assertNull(l.orderByClientId("alice", "c2"));
        assertNotNull(l.order("alice", "5"));
        assertEquals(List.of("5", "6", "7"), allFillsPaged(l, "alice").stream().map(Fill::orderId).sorted().toList());
        assertEquals(3, l.allFills("alice").size());
        assertEquals(new Ledger.HistoryStats(4, 3, 3, 3), l.historyStats()); // 7 orders, 6 fills: 3 of each dropped

        x.cancel(1, S, T + 10); // the oldest order closes last: it is kept, the one closed first of the rest goes
        assertEquals(List.of("7", "6", "1"), ids(all(l, "alice")));
        assertEquals(List.of("7", "6", "1"), ids(l.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.CLOSED)).items()));

        // A dropped order's client id may be used again; the new order is order number 7 of the account.
        x.other(200, Side.SELL, 1000, 100, T + 11);
        x.intent(led -> led.recordNewOrder("alice", 8, new OrderRequest("c2", S, Side.BUY, OrderType.LIMIT,
                TimeInForce.GTC, 100, 1000, 0), 0, T + 11));
        assertEquals("8", l.orderByClientId("alice", "c2").orderId());
        // Holdings and cash are the books: six fills of 100, whatever history is kept.
        assertEquals(600, l.position("alice", S, MARKS, T).qty());
    }

    @Test
    void aCursorIntoTheDroppedPartGoesOnWithTheNextOlderOrderKept() {
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS.withHistoryKept(2));
        x.open("alice", 100_000_000, T);
        for (long id = 1; id <= 3; id++) {
            x.limit("alice", id, Side.BUY, 900 - id, 100, T); // three resting orders, numbers 0..2
        }
        Page<Order> first = x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.ALL).withLimit(1));
        assertEquals(List.of("3"), ids(first.items()));
        String cursor = first.nextCursor(); // points at order 2 (number 1)
        for (long id = 1; id <= 3; id++) {
            x.cancel(id, S, T + id); // closing in order 1, 2, 3: with 2 kept, order 1 goes
        }
        x.limit("alice", 4, Side.BUY, 800, 100, T + 5);
        x.cancel(4, S, T + 6); // order 2 goes too
        Page<Order> next = x.ledger.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.ALL).withCursor(cursor));
        assertEquals(List.of(), ids(next.items()), "orders 2 and 1 are gone: the page is empty, and the last");
        assertNull(next.nextCursor());
        assertEquals(List.of("4", "3"), ids(all(x.ledger, "alice")));
    }

    /**
     * Random flows: a ledger keeping 5 of each and one keeping everything, fed the same log, have the same books;
     * the bounded one keeps exactly the newest of the full one's history; a snapshot half-way plus the rest of the
     * log and a clean rebuild give the bounded one's state hash.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void theBooksDoNotDependOnTheBoundAndWhatIsKeptIsState(long seed) throws IOException {
        LedgerOptions bounded = LedgerOptions.DEFAULTS.withHistoryKept(5);
        ExchangeDriver x = new ExchangeDriver(bounded);
        Random r = new Random(seed);
        String[] ours = {"a", "b"};
        for (String a : ours) {
            x.open(a, 1_000_000_000L, T);
        }
        long id = 1;
        byte[] half = null;
        int halfLog = 0;
        for (int step = 0; step < 600; step++) {
            long t = T + step;
            long price = 990 + 10L * r.nextInt(3);
            int k = r.nextInt(10);
            if (k < 4) {
                x.send(Command.limit(id++, "mm", S, r.nextBoolean() ? Side.BUY : Side.SELL, TimeInForce.GTC, price,
                        100L * (1 + r.nextInt(3)), t));
            } else if (k < 8) {
                long limitPrice = 900 + 20L * r.nextInt(11); // wider than the market maker's: some rest, open
                x.limit(ours[r.nextInt(2)], id++, r.nextBoolean() ? Side.BUY : Side.SELL, limitPrice, 100L * (1 + r.nextInt(3)), t);
            } else {
                String a = ours[r.nextInt(2)];
                List<Order> open = x.ledger.openOrders(a, null);
                if (!open.isEmpty()) {
                    x.cancel(open.get(r.nextInt(open.size())).exchangeId(), S, t);
                }
            }
            if (step == 300) {
                half = LedgerSnapshotTest.bytes(x.ledger);
                halfLog = x.log.size();
            }
        }
        Ledger full = x.rebuild(LedgerOptions.DEFAULTS);
        int openSeen = 0;
        for (String a : ours) {
            assertEquals(full.account(a, MARKS), x.ledger.account(a, MARKS));
            assertEquals(full.positions(a, MARKS, T), x.ledger.positions(a, MARKS, T));
            assertEquals(full.openOrders(a, null), x.ledger.openOrders(a, null));
            assertEquals(full.buyingPower(a), x.ledger.buyingPower(a));
            List<Fill> fills = full.allFills(a);
            assertTrue(fills.size() > 20, "a rich flow: " + fills.size() + " fills");
            assertEquals(fills.subList(fills.size() - 5, fills.size()), x.ledger.allFills(a));
            List<Order> closedLast = full.orders(a, OrderQuery.of(OrderQuery.StatusFilter.CLOSED).withLimit(500)).items()
                    .stream().sorted(java.util.Comparator.comparingLong(Order::updateSeq).reversed()).limit(5).toList();
            List<Order> kept = all(x.ledger, a);
            assertEquals(closedLast.size() + full.openOrders(a, null).size(), kept.size());
            assertTrue(kept.containsAll(closedLast) && kept.containsAll(full.openOrders(a, null)), a + ": " + ids(kept));
            // The open ones listed from their own set, page by page, are the kept ones that are open, newest first.
            assertEquals(kept.stream().filter(o -> o.status().isOpen()).toList(), paged(x.ledger, a, OrderQuery.StatusFilter.OPEN));
            openSeen += paged(x.ledger, a, OrderQuery.StatusFilter.OPEN).size();
        }
        assertTrue(openSeen > 4, "open orders left over several pages: " + openSeen);
        long hash = x.ledger.stateHash();
        Ledger restored = Ledger.readSnapshot(new DataInputStream(new ByteArrayInputStream(half)), bounded);
        x.replay(restored, halfLog);
        assertEquals(hash, restored.stateHash(), "snapshot half-way + the rest of the log");
        Ledger.HistoryStats live = x.ledger.historyStats();
        Ledger.HistoryStats read = restored.historyStats();
        assertEquals(live.ordersKept(), read.ordersKept(), "what is kept, counted from the snapshot and on");
        assertEquals(live.fillsKept(), read.fillsKept());
        assertEquals(live.ordersKept(), all(x.ledger, "a").size() + all(x.ledger, "b").size());
        assertEquals(hash, x.rebuild(bounded).stateHash(), "clean rebuild");
    }

    /** {@code snapshot-v1.bin} was written by the build before the bound (version 1) after these steps. */
    static void v1Scenario(ExchangeDriver x) {
        x.open("alice", 100_000_000, T);
        x.limit("alice", 1, Side.BUY, 1000, 300, T);
        x.other(101, Side.SELL, 1000, 100, T);
        x.limit("alice", 2, Side.SELL, 1200, 100, T + 1);
        x.cancel(2, S, T + 2);
        x.limit("alice", 3, Side.BUY, 900, 100, T + 3);
        x.other(102, Side.SELL, 900, 100, T + 4);
    }

    @Test
    void aVersion1SnapshotIsReadAsTheSameState() throws IOException {
        byte[] v1;
        try (InputStream in = LedgerHistoryTest.class.getResourceAsStream("/ledger/snapshot-v1.bin")) {
            v1 = in.readAllBytes();
        }
        assertEquals(1, java.nio.ByteBuffer.wrap(v1).getInt(4), "the fixture is a version 1 snapshot");
        Ledger read = Ledger.readSnapshot(new DataInputStream(new ByteArrayInputStream(v1)), LedgerOptions.DEFAULTS);
        ExchangeDriver x = new ExchangeDriver(LedgerOptions.DEFAULTS);
        v1Scenario(x);
        assertEquals(x.ledger.stateHash(), read.stateHash());
        assertEquals(List.of("3", "2", "1"), ids(all(read, "alice")));
        assertEquals(2, allFillsPaged(read, "alice").size());
        // It goes on numbering where the old one stopped: the next order is number 3, listed first; the page
        // after it starts at number 2 (order "3").
        x.ledger = read;
        x.limit("alice", 4, Side.BUY, 800, 100, T + 5);
        assertEquals(List.of("4", "3", "2", "1"), ids(all(read, "alice")));
        assertEquals("2", read.orders("alice", OrderQuery.of(OrderQuery.StatusFilter.ALL).withLimit(1)).nextCursor());
    }
}
