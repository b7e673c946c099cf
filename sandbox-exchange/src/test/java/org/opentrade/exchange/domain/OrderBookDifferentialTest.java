package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;

/**
 * The fast order book against the obviously correct reference book: the same seeded random command
 * stream goes through an engine on each, and every event of every command must be equal, as must
 * the full state (state hash, every level and every resting order in priority order) every
 * {@value #STATE_EVERY} commands and at the end. Events are compared as values (the records'
 * equality covers every field of their text form); a difference is reported as text.
 */
class OrderBookDifferentialTest {
    private static final int PURE_COMMANDS = 500_000;
    private static final int STATE_EVERY = 10_000;
    private static long totalCommands;

    @AfterAll
    static void report() {
        System.out.println("OrderBookDifferentialTest: " + totalCommands + " commands compared");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 20240304})
    void fastBookBehavesExactlyLikeTheReferenceBookInPureMatching(long seed) {
        Stats s = run(RandomCommandStream.pure(seed), PURE_COMMANDS, MatchingEngine::pure);
        s.assertCovers(EventType.TRADE, 50_000);
        s.assertCovers(EventType.CANCELED, 20_000);
        s.assertCovers(EventType.REPLACED, 10_000);
        s.assertCovers(EventType.EXPIRED, 1_000);
        s.assertRejects(ResultCode.UNKNOWN_ORDER, 1_000);
        s.assertRejects(ResultCode.DUPLICATE_ORDER_ID, 100);
        s.assertRejects(ResultCode.REPLACE_QTY_NOT_ABOVE_FILLED, 10);
        s.assertRestingPerBook(200, 1_500);
    }

    @Test
    void fastBookBehavesExactlyLikeTheReferenceBookWithRulesStopsAndDayEnds() {
        long start = ExchangeScenario.epochMillis("2024-03-04T09:00");
        // about 6 s between commands: 500 000 commands span about 33 day ends
        RandomCommandStream stream = new RandomCommandStream(99,
                RandomCommandStream.rulesOptions(TestInstruments.catalog(), start, 5_800));
        Stats s = run(stream, 500_000,
                books -> MatchingEngine.withRules(TestInstruments.catalog(), new ContinuousCalendar(), books));
        s.assertCovers(EventType.TRADE, 30_000);
        s.assertCovers(EventType.TRIGGERED, 1_000);
        s.assertCovers(EventType.EXPIRED, 1_000);
        s.assertCovers(EventType.REPLACED, 2_000);
        s.assertRejects(ResultCode.QTY_NOT_BOARD_LOT, 100);
        s.assertRejects(ResultCode.PRICE_OUTSIDE_BAND, 100);
        s.assertRejects(ResultCode.QTY_TOO_LARGE, 50);
        s.assertRejects(ResultCode.ORDER_NOT_REPLACEABLE, 50);
        s.assertRestingPerBook(200, 1_500);
    }

    @Test
    void fastBookBehavesExactlyLikeTheReferenceBookThroughAuctionsAndSessions() {
        long start = ExchangeScenario.epochMillis("2024-03-04T09:10");
        RandomCommandStream stream = new RandomCommandStream(2024,
                RandomCommandStream.rulesOptions(TestInstruments.catalog(), start, 1_000)
                        .withActiveWindow(LocalTime.of(9, 10), LocalTime.of(15, 5), AShareCalendar.ZONE));
        Set<LocalDate> holidays = Set.of(LocalDate.of(2024, 3, 6));
        Stats s = run(stream, 500_000,
                books -> MatchingEngine.withRules(TestInstruments.catalog(), new AShareCalendar(holidays), books));
        s.assertCovers(EventType.TRADE, 10_000);
        s.assertRejects(ResultCode.MARKET_CLOSED, 1_000);
        s.assertRejects(ResultCode.ORDER_TYPE_NOT_ALLOWED, 100);
        assertTrue(s.auctionTrades > 100, "uncross trades: " + s.auctionTrades);
    }

    // ------------------------------------------------------------------------------------------

    private static Stats run(RandomCommandStream stream, int commands,
                             Function<OrderBook.Factory, MatchingEngine> engines) {
        MatchingEngine fast = engines.apply(FastOrderBook::new);
        MatchingEngine ref = engines.apply(ReferenceOrderBook::new);
        ref.disableOrderRecycling(); // the fast side recycles Order objects, the reference side never does
        EventCollector fastEvents = new EventCollector(0);
        EventCollector refEvents = new EventCollector(0);
        Stats stats = new Stats(stream.symbols());
        for (int i = 1; i <= commands; i++) {
            Command c = stream.next();
            boolean auction = !fast.phase().matches();
            fastEvents.begin(c);
            fast.process(c, fastEvents);
            refEvents.begin(c);
            ref.process(c, refEvents);
            if (!fastEvents.events().equals(refEvents.events())) {
                fail("command " + i + " " + c + "\nfast:      " + lines(fastEvents.events()) + "\nreference: "
                        + lines(refEvents.events()));
            }
            stats.count(fastEvents.events(), auction);
            if (fast.phase().matches()) {
                assertUncrossed(fast, stream.symbols(), i, c);
            }
            if (i % STATE_EVERY == 0 || i == commands) {
                assertOrdersConsistent(fast, stream.symbols());
                assertEquals(EngineState.describe(ref, stream.symbols()), EngineState.describe(fast, stream.symbols()),
                        "state after command " + i);
            }
        }
        assertEquals(ref.stateHash(), fast.stateHash());
        stats.finish(fast);
        synchronized (OrderBookDifferentialTest.class) {
            totalCommands += commands;
        }
        System.out.println(stats);
        return stats;
    }

    /** Engine invariant both books share, so equality alone would not catch it: trading leaves no cross. */
    private static void assertUncrossed(MatchingEngine e, List<String> symbols, int i, Command c) {
        for (String symbol : symbols) {
            OrderBook b = e.book(symbol);
            if (b == null) {
                continue;
            }
            long bid = b.bestPrice(Side.BUY);
            long ask = b.bestPrice(Side.SELL);
            if (bid != Price.NONE && ask != Price.NONE && bid >= ask) {
                fail(symbol + " is crossed (" + bid + " >= " + ask + ") in " + e.phase() + " after command " + i + " "
                        + c);
            }
        }
    }

    /** Every resting order is a live limit order with something left and consistent quantities. */
    private static void assertOrdersConsistent(MatchingEngine e, List<String> symbols) {
        int resting = 0;
        for (String symbol : symbols) {
            OrderBook b = e.book(symbol);
            if (b == null) {
                continue;
            }
            for (Side side : Side.values()) {
                b.forEachOrder(side, o -> {
                    String what = EngineState.describe(o);
                    assertTrue(o.leaves() > 0 && o.filled() >= 0 && o.leaves() + o.filled() == o.qty(), what);
                    assertEquals(OrderType.LIMIT, o.type(), what);
                    assertTrue(o.tif().rests(), what);
                    assertEquals(side, o.side(), what);
                    assertEquals(symbol, o.symbol(), what);
                    assertTrue(e.order(o.id()) == o, "indexed: " + what);
                });
            }
            resting += b.orderCount();
        }
        assertTrue(e.liveOrders() >= resting, "live orders include every resting order");
    }

    private static String lines(List<ExchangeEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (ExchangeEvent e : events) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }

    /** What a run exercised, so a stream that stopped producing some case fails instead of passing idly. */
    private static final class Stats {
        final List<String> symbols;
        final Map<EventType, Long> events = new EnumMap<>(EventType.class);
        final Map<ResultCode, Long> rejects = new EnumMap<>(ResultCode.class);
        final Map<String, Integer> resting = new TreeMap<>();
        long auctionTrades;

        Stats(List<String> symbols) {
            this.symbols = symbols;
        }

        void count(List<ExchangeEvent> es, boolean duringAuction) {
            for (ExchangeEvent e : es) {
                events.merge(e.type(), 1L, Long::sum);
                if (e.type() == EventType.REJECTED) {
                    rejects.merge(e.resultCode(), 1L, Long::sum);
                }
                if (e.type() == EventType.TRADE && duringAuction) {
                    auctionTrades++;
                }
            }
        }

        void finish(MatchingEngine e) {
            for (String s : symbols) {
                resting.put(s, e.book(s) == null ? 0 : e.book(s).orderCount());
            }
        }

        void assertCovers(EventType type, long atLeast) {
            long n = events.getOrDefault(type, 0L);
            assertTrue(n >= atLeast, type + " events: " + n + " < " + atLeast + "; " + this);
        }

        void assertRejects(ResultCode code, long atLeast) {
            long n = rejects.getOrDefault(code, 0L);
            assertTrue(n >= atLeast, code + " rejections: " + n + " < " + atLeast + "; " + this);
        }

        void assertRestingPerBook(int min, int max) {
            resting.forEach((s, n) -> assertTrue(n >= min && n <= max, s + " rests " + n + " orders; " + this));
        }

        @Override
        public String toString() {
            return "events " + events + " rejections " + rejects + " resting " + resting + " uncross trades "
                    + auctionTrades;
        }
    }
}
