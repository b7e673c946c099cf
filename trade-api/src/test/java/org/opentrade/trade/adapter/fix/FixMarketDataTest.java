package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import quickfix.FieldNotFound;
import quickfix.Group;
import quickfix.Message;

/**
 * FIX market data against the real exchange: books built by orders placed straight at the exchange
 * (another account), read through MarketDataRequest. The client keeps its own book from W and X
 * (price-keyed New/Change/Delete) and the tests compare it with the levels the orders must make.
 * Each test has its own developer and symbol.
 */
class FixMarketDataTest extends FixHarnessTest {

    @Test
    void aSnapshotShowsTheLevelsOfTheOrdersRestingAtTheExchange() throws Exception {
        h.counter("600000.SH", "BUY", "10.40", 300);
        h.counter("600000.SH", "BUY", "10.40", 200);
        h.counter("600000.SH", "BUY", "10.39", 100);
        h.counter("600000.SH", "SELL", "10.50", 400);
        try (FixClient c = h.client("dev_md_snap")) {
            LocalBook full = snapshotWhen(c, "600000.SH", 0, "01",
                    b -> b.bids().equals("10.40x500/2,10.39x100/1") && b.asks().equals("10.50x400/1"));
            assertEquals("", full.trades());
            LocalBook top = snapshotWhen(c, "600000.SH", 1, "01", b -> true);
            assertEquals("10.40x500/2", top.bids(), "MarketDepth 1: the best level only");
            assertEquals("10.50x400/1", top.asks());
            LocalBook bidsOnly = snapshotWhen(c, "600000.SH", 0, "0", b -> true);
            assertEquals("", bidsOnly.asks(), "offers were not asked for");
        }
    }

    @Test
    void aSubscriptionGetsIncrementalRefreshesForANewOrderAndForATrade() throws Exception {
        try (FixClient c = h.client("dev_md_inc")) {
            c.send(FixMessages.marketData("inc-1", '1', 0, "012", "601318.SH"));
            LocalBook b = new LocalBook();
            b.snapshot(c.next(m -> isFor(m, "W", "inc-1"), "W inc-1"));
            assertEquals("", b.bids() + b.asks() + b.trades(), "an empty book");
            h.counter("601318.SH", "BUY", "52.00", 100);
            follow(c, "inc-1", b, x -> x.bids().equals("52.00x100/1"));
            h.counter("601318.SH", "SELL", "52.10", 300);
            follow(c, "inc-1", b, x -> x.asks().equals("52.10x300/1"));
            // The taker must be another account than the maker's (the exchange prevents self-trades): ours.
            c.send(FixMessages.limitBuy("inc-buy", "601318.SH", 100, "52.10"));
            follow(c, "inc-1", b, x -> x.trades().equals("52.10x100"));
            follow(c, "inc-1", b, x -> x.asks().equals("52.10x200/1"));
            assertEquals("52.00x100/1", b.bids());
        }
    }

    /**
     * A crossing limit order is in the exchange's events first as accepted at its full size, then traded
     * down: the book between is crossed, a state the engine never has. No X leaves the client's book
     * crossed or locked; the trade and the settled book arrive.
     */
    @Test
    void aCrossingOrderNeverShowsACrossedBook() throws Exception {
        try (FixClient c = h.client("dev_md_cross")) {
            c.send(FixMessages.marketData("cross-1", '1', 0, "012", "601166.SH"));
            LocalBook b = new LocalBook();
            b.snapshot(c.next(m -> isFor(m, "W", "cross-1"), "W cross-1"));
            h.counter("601166.SH", "SELL", "21.10", 300);
            h.counter("601166.SH", "SELL", "21.20", 100);
            follow(c, "cross-1", b, x -> x.asks().equals("21.10x300/1,21.20x100/1"));
            c.send(FixMessages.limitBuy("cross-buy", "601166.SH", 500, "21.15"));
            follow(c, "cross-1", b, x -> {
                assertTrue(x.bids.isEmpty() || x.asks.isEmpty() || x.bids.firstKey().compareTo(x.asks.firstKey()) < 0,
                        "crossed or locked: " + x.bids() + " | " + x.asks());
                return x.bids().equals("21.15x200/1") && x.asks().equals("21.20x100/1");
            });
            assertEquals("21.10x300", b.trades());
        }
    }

    @Test
    void aTopOfBookSubscriptionSeesOnlyTheBestLevel() throws Exception {
        try (FixClient c = h.client("dev_md_top")) {
            c.send(FixMessages.marketData("top-1", '1', 1, "0", "600036.SH"));
            LocalBook b = new LocalBook();
            b.snapshot(c.next(m -> isFor(m, "W", "top-1"), "W top-1"));
            h.counter("600036.SH", "BUY", "41.00", 100);
            follow(c, "top-1", b, x -> x.bids().equals("41.00x100/1"));
            h.counter("600036.SH", "BUY", "41.10", 200);
            follow(c, "top-1", b, x -> x.bids().equals("41.10x200/1"));
            h.counter("600036.SH", "BUY", "40.90", 300); // below the top: not seen
            h.counter("600036.SH", "BUY", "41.20", 400);
            follow(c, "top-1", b, x -> x.bids().equals("41.20x400/1"));
            assertFalse(b.prices.contains("40.90"), "a level below the top is never sent: " + b.prices);
            assertTrue(b.maxLevels <= 1, "never more than one level: " + b.maxLevels);
        }
    }

    @Test
    void anUnsubscribedMdReqIdGetsNoMoreUpdatesWhileAnotherStillDoes() throws Exception {
        try (FixClient c = h.client("dev_md_unsub")) {
            c.send(FixMessages.marketData("keep", '1', 0, "0", "601988.SH"));
            c.send(FixMessages.marketData("drop", '1', 0, "0", "601988.SH"));
            c.next(m -> isFor(m, "W", "keep"), "W keep");
            c.next(m -> isFor(m, "W", "drop"), "W drop");
            c.send(FixMessages.marketData("drop", '2', 0, "0", "601988.SH"));
            // A snapshot answered after the unsubscribe: the session's requests are handled in order.
            c.send(FixMessages.marketData("probe-1", '0', 0, "0", "601988.SH"));
            c.next(m -> isFor(m, "W", "probe-1"), "W probe-1");
            h.counter("601988.SH", "BUY", "5.40", 100);
            List<Message> seen = collectUntil(c, m -> isFor(m, "X", "keep"));
            c.send(FixMessages.marketData("probe-2", '0', 0, "0", "601988.SH"));
            seen.addAll(collectUntil(c, m -> isFor(m, "W", "probe-2")));
            assertTrue(seen.stream().noneMatch(m -> "drop".equals(field(m, 262))), "no update for 'drop': " + seen);
        }
    }

    @Test
    void anUnknownSymbolIsRejectedWithReason0() throws Exception {
        try (FixClient c = h.client("dev_md_unknown")) {
            c.send(FixMessages.marketData("u-1", '1', 0, "01", "601398.SH", "999999.SH"));
            Message y = c.next(m -> isFor(m, "Y", "u-1"), "Y u-1");
            assertEquals('0', y.getChar(281));
            assertTrue(y.getString(58).contains("999999.SH"), y.getString(58));
        }
    }

    @Test
    void aDuplicateMdReqIdIsRejectedWithReason1() throws Exception {
        try (FixClient c = h.client("dev_md_dup")) {
            c.send(FixMessages.marketData("d-1", '1', 0, "01", "601398.SH"));
            c.next(m -> isFor(m, "W", "d-1"), "W d-1");
            c.send(FixMessages.marketData("d-1", '1', 0, "01", "601288.SH"));
            Message y = c.next(m -> isFor(m, "Y", "d-1"), "Y d-1");
            assertEquals('1', y.getChar(281));
            assertFalse(y.getString(58).isEmpty());
        }
    }

    @Test
    void anUnsupportedMarketDepthIsRejectedWithReason5() throws Exception {
        try (FixClient c = h.client("dev_md_depth")) {
            c.send(FixMessages.marketData("dp-1", '1', FixAcceptorOptions.DEFAULT_MAX_MARKET_DEPTH + 1, "01", "601398.SH"));
            Message y = c.next(m -> isFor(m, "Y", "dp-1"), "Y dp-1");
            assertEquals('5', y.getChar(281));
            assertTrue(y.getString(58).contains("MarketDepth"), y.getString(58));
        }
    }

    @Test
    void anUnsupportedMdEntryTypeIsRejectedWithReason8() throws Exception {
        try (FixClient c = h.client("dev_md_type")) {
            c.send(FixMessages.marketData("t-1", '1', 0, "04", "601398.SH")); // 4 = opening price
            Message y = c.next(m -> isFor(m, "Y", "t-1"), "Y t-1");
            assertEquals('8', y.getChar(281));
            assertTrue(y.getString(58).contains("MDEntryType"), y.getString(58));
        }
    }

    @Test
    void anUnsubscribeOfAnUnknownMdReqIdIsRejectedWithText() throws Exception {
        try (FixClient c = h.client("dev_md_unsub_unknown")) {
            c.send(FixMessages.marketData("never", '2', 0, "0", "601398.SH"));
            Message y = c.next(m -> isFor(m, "Y", "never"), "Y never");
            assertFalse(y.isSetField(281));
            assertTrue(y.getString(58).contains("never"), y.getString(58));
        }
    }

    @Test
    void aSessionHoldsAtMostTheBoundOfSubscriptionsAndARequestNamesAtMostTheBoundOfSymbols() throws Exception {
        int max = FixAcceptorOptions.DEFAULT_MAX_MD_REQ_IDS_PER_SESSION;
        try (FixClient c = h.client("dev_md_bounds")) {
            for (int i = 0; i < max; i++) {
                c.send(FixMessages.marketData("b-" + i, '1', 1, "0", "000001.SZ"));
            }
            for (int i = 0; i < max; i++) {
                String id = "b-" + i;
                c.next(m -> isFor(m, "W", id), "W " + id);
            }
            c.send(FixMessages.marketData("b-over", '1', 1, "0", "000002.SZ"));
            Message y = c.next(m -> isFor(m, "Y", "b-over"), "Y b-over");
            assertEquals('2', y.getChar(281));
            assertTrue(y.getString(58).contains(Integer.toString(max)), y.getString(58));

            String[] many = new String[FixAcceptorOptions.DEFAULT_MAX_MD_SYMBOLS_PER_SESSION + 1];
            java.util.Arrays.fill(many, "000002.SZ");
            c.send(FixMessages.marketData("b-many", '0', 1, "0", many));
            assertEquals('2', c.next(m -> isFor(m, "Y", "b-many"), "Y b-many").getChar(281));

            c.send(FixMessages.marketData("b-0", '2', 1, "0", "000001.SZ"));
            c.send(FixMessages.marketData("b-again", '1', 1, "0", "000002.SZ"));
            c.next(m -> isFor(m, "W", "b-again"), "W b-again: a freed place is usable");
        }
    }

    @Test
    void theSubscriptionsOfASessionEndWithIt() throws Exception {
        FixHarness.until(() -> h.trade.fixAcceptor().marketDataSubscriptions() == 0, 20); // earlier tests' sessions gone
        FixClient c = h.client("dev_md_end");
        try {
            c.send(FixMessages.marketData("e-1", '1', 0, "01", "000333.SZ"));
            c.send(FixMessages.marketData("e-2", '1', 0, "2", "000651.SZ"));
            c.next(m -> isFor(m, "W", "e-2"), "W e-2");
            assertEquals(2, h.trade.fixAcceptor().marketDataSubscriptions());
        } finally {
            c.close();
        }
        FixHarness.until(() -> h.trade.fixAcceptor().marketDataSubscriptions() == 0, 20);
    }

    // ------------------------------------------------------------------ helpers

    private static LocalBook snapshotWhen(FixClient c, String symbol, int depth, String types, Predicate<LocalBook> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        LocalBook b = new LocalBook();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            String id = "snap-" + depth + "-" + types + "-" + i;
            c.send(FixMessages.marketData(id, '0', depth, types, symbol));
            b = new LocalBook();
            b.snapshot(c.next(m -> isFor(m, "W", id), "W " + id));
            if (done.test(b)) {
                return b;
            }
            Thread.sleep(20); // polling a condition: the feed brings the exchange's events
        }
        throw new AssertionError("the snapshot never showed the book; last: " + b.bids() + " | " + b.asks());
    }

    /** Applies the subscription's X messages until {@code done}. */
    private static void follow(FixClient c, String reqId, LocalBook b, Predicate<LocalBook> done) throws Exception {
        while (!done.test(b)) {
            b.incremental(c.next(m -> isFor(m, "X", reqId), "X " + reqId + " (book " + b.bids() + " | " + b.asks()
                    + " | " + b.trades() + ")"));
        }
    }

    private static List<Message> collectUntil(FixClient c, Predicate<Message> last) throws Exception {
        List<Message> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Message m = c.app.poll(100, TimeUnit.MILLISECONDS);
            if (m != null) {
                seen.add(m);
                if (last.test(m)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("not received within 15 s; got " + seen);
    }

    static boolean isFor(Message m, String type, String reqId) {
        return type.equals(FixClient.type(m)) && reqId.equals(field(m, 262));
    }

    static String field(Message m, int tag) {
        try {
            return m.isSetField(tag) ? m.getString(tag) : null;
        } catch (FieldNotFound e) {
            return null;
        }
    }

    /** A client-side book: W replaces it, X applies price-keyed New/Change/Delete; trades are listed. */
    static final class LocalBook {
        final TreeMap<java.math.BigDecimal, String> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<java.math.BigDecimal, String> asks = new TreeMap<>();
        final List<String> trades = new ArrayList<>();
        final List<String> prices = new ArrayList<>();
        int maxLevels;

        void snapshot(Message w) throws FieldNotFound {
            bids.clear();
            asks.clear();
            trades.clear();
            for (Group g : w.getGroups(268)) {
                apply('0', g);
            }
        }

        void incremental(Message x) throws FieldNotFound {
            for (Group g : x.getGroups(268)) {
                apply(g.getChar(279), g);
            }
        }

        private void apply(char action, Group g) throws FieldNotFound {
            char type = g.getChar(269);
            String px = g.getString(270);
            prices.add(px);
            if (type == '2') {
                trades.add(px + "x" + g.getString(271));
                return;
            }
            TreeMap<java.math.BigDecimal, String> side = type == '0' ? bids : asks;
            if (action == '2') {
                assertTrue(side.remove(new java.math.BigDecimal(px)) != null, "delete of a level not held: " + px);
            } else {
                String was = side.put(new java.math.BigDecimal(px), px + "x" + g.getString(271) + "/" + g.getString(346));
                assertEquals(action == '0', was == null, "New for a new level, Change for a held one: " + px);
            }
            maxLevels = Math.max(maxLevels, Math.max(bids.size(), asks.size()));
        }

        String bids() {
            return String.join(",", bids.values());
        }

        String asks() {
            return String.join(",", asks.values());
        }

        String trades() {
            return trades.stream().collect(Collectors.joining(","));
        }
    }
}
