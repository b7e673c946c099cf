package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TradingCalendar;

/**
 * {@link MatchingEngine#bookSnapshot} against state recomputed independently, on seeded random
 * streams: at several checkpoints, for every symbol, the snapshot's levels must equal the levels
 * rebuilt from the resting orders ({@link OrderBook#forEachOrder}: leaves summed and orders counted
 * per price, best first), its orders must be the resting orders in priority order, and its day
 * statistics must equal a tally of the TRADE events since the last trading-day end. Across symbols,
 * the books and stops must hold exactly the orders that {@link MatchingEngine#ordersOf} reports for
 * all accounts, and as many as the engine has live.
 *
 * <p>The fast book keeps each level's total and count incrementally through fills, partial fills,
 * reduces, replaces, cancels, expiries and uncrosses; a single missed update shows here.
 */
class BookSnapshotDifferentialTest {
    private static final int COMMANDS = 200_000;
    private static final Set<Integer> EARLY_CHECKPOINTS = Set.of(1, 10, 100, 1_000, 5_000);
    private static final int CHECKPOINT_EVERY = 20_000;
    private static final int SHARD = 7;

    /** A stream, the engine it runs on, and the engine's calendar (null in pure mode: no day ends). */
    record Setup(String name, Supplier<MatchingEngine> engines, TradingCalendar calendar,
                 RandomCommandStream.Options options, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> setups() {
        long monday = ExchangeScenario.epochMillis("2024-03-04T09:10");
        ContinuousCalendar continuous = new ContinuousCalendar();
        AShareCalendar ashare = new AShareCalendar(Set.of(LocalDate.of(2024, 3, 6)));
        return Stream.of(
                Arguments.of(new Setup("pure matching", MatchingEngine::pure, null, RandomCommandStream.pureOptions(),
                        31)),
                Arguments.of(new Setup("rules, 24x7 with day ends",
                        () -> MatchingEngine.withRules(TestInstruments.catalog(), continuous), continuous,
                        RandomCommandStream.rulesOptions(TestInstruments.catalog(), monday, 5_000), 32)),
                Arguments.of(new Setup("rules, A-share sessions and auctions",
                        () -> MatchingEngine.withRules(TestInstruments.catalog(), ashare), ashare,
                        RandomCommandStream.rulesOptions(TestInstruments.catalog(), monday, 1_000)
                                .withActiveWindow(LocalTime.of(9, 10), LocalTime.of(15, 5), AShareCalendar.ZONE), 33)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void bookSnapshotLevelsAndStatisticsEqualWhatTheOrdersAndTradesAddUpTo(Setup setup) {
        RandomCommandStream stream = new RandomCommandStream(setup.seed(), setup.options());
        MatchingEngine engine = setup.engines().get();
        EventCollector events = new EventCollector(SHARD, 0);
        DayEnds dayEnds = new DayEnds(setup.calendar());
        Map<String, Tally> tallies = new HashMap<>();
        Coverage coverage = new Coverage();
        for (int i = 1; i <= COMMANDS; i++) {
            Command c = stream.next();
            if (dayEnds.passedBy(c.timestamp())) {
                tallies.values().forEach(Tally::newDay);
                coverage.dayEnds++;
            }
            events.begin(c);
            engine.process(c, events);
            for (ExchangeEvent e : events.events()) {
                if (e.type() == EventType.TRADE) {
                    tallies.computeIfAbsent(e.symbol(), s -> new Tally()).trade(e.price(), e.qty());
                }
            }
            if (EARLY_CHECKPOINTS.contains(i) || i % CHECKPOINT_EVERY == 0) {
                check(engine, events.lastSeq(), c.timestamp(), tallies, coverage, "after command " + i);
            }
        }
        coverage.assertExercised(setup.calendar() != null);
    }

    private static void check(MatchingEngine engine, long seq, long time, Map<String, Tally> tallies, Coverage coverage,
                              String when) {
        Set<Long> inBooks = new TreeSet<>();
        Set<String> accounts = new TreeSet<>();
        for (String symbol : engine.symbols()) {
            String where = symbol + " " + when;
            BookSnapshot b = engine.bookSnapshot(SHARD, seq, symbol, true);
            OrderBook book = engine.book(symbol);
            assertEquals(List.of((long) SHARD, seq, time), List.of((long) b.shard(), b.seq(), b.time()), where);
            assertEquals(symbol, b.symbol(), where);

            assertEquals(levelsFromOrders(book, Side.BUY), b.bids(), "bids " + where);
            assertEquals(levelsFromOrders(book, Side.SELL), b.asks(), "asks " + where);
            assertEquals(restingOrders(book), b.orders(), "orders " + where);
            assertEquals(book.orderCount(), b.orders().size(), where);
            for (OrderView s : b.stops()) {
                assertTrue(s.orderType().isStop() && s.symbol().equals(symbol) && s.leavesQty() > 0, s + " " + where);
            }

            Tally t = tallies.getOrDefault(symbol, new Tally());
            assertEquals(t.asList(), List.of(b.last(), b.open(), b.high(), b.low(), b.volume(), b.turnover(), b.trades()),
                    "last, open, high, low, volume, turnover, trades of " + where);

            for (OrderView o : concat(b.orders(), b.stops())) {
                assertTrue(inBooks.add(o.orderId()), "order " + o.orderId() + " listed twice, " + where);
                accounts.add(o.account());
            }
            coverage.levels = Math.max(coverage.levels, b.bids().size() + b.asks().size());
            coverage.stops += b.stops().size();
            coverage.trades = Math.max(coverage.trades, b.trades());
        }
        Set<Long> byAccount = new TreeSet<>();
        for (String account : accounts) {
            List<OrderView> orders = engine.ordersOf(account);
            assertEquals(orders.stream().sorted(Comparator.comparing(OrderView::symbol)
                    .thenComparingLong(OrderView::orderId)).toList(), orders, "ordersOf(" + account + ") order " + when);
            for (OrderView o : orders) {
                assertEquals(account, o.account(), when);
                byAccount.add(o.orderId());
            }
        }
        assertEquals(inBooks, byAccount, "books and stops hold what ordersOf reports, " + when);
        assertEquals(engine.liveOrders(), inBooks.size(), "every live order is in a snapshot, " + when);
    }

    /** Levels rebuilt from the orders alone: leaves summed and orders counted per price, best first. */
    private static List<BookLevel> levelsFromOrders(OrderBook book, Side side) {
        Comparator<Long> bestFirst = side == Side.BUY ? Comparator.reverseOrder() : Comparator.naturalOrder();
        TreeMap<Long, long[]> byPrice = new TreeMap<>(bestFirst);
        book.forEachOrder(side, o -> {
            long[] qtyAndCount = byPrice.computeIfAbsent(o.price(), p -> new long[2]);
            qtyAndCount[0] += o.leaves();
            qtyAndCount[1]++;
        });
        List<BookLevel> levels = new ArrayList<>();
        byPrice.forEach((price, qc) -> levels.add(new BookLevel(price, qc[0], Math.toIntExact(qc[1]))));
        return levels;
    }

    private static List<OrderView> restingOrders(OrderBook book) {
        List<OrderView> views = new ArrayList<>();
        for (Side side : List.of(Side.BUY, Side.SELL)) {
            book.forEachOrder(side, o -> views.add(new OrderView(o.id(), o.account(), o.symbol(), o.side(), o.type(),
                    o.tif(), o.price(), o.stopPrice(), o.qty(), o.filled(), o.leaves(), o.enteredAt())));
        }
        return views;
    }

    private static List<OrderView> concat(List<OrderView> a, List<OrderView> b) {
        List<OrderView> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** One symbol's trades as the events report them, kept apart from the engine's own statistics. */
    private static final class Tally {
        long last;
        long open;
        long high;
        long low;
        long volume;
        long turnover;
        long trades;

        void trade(long price, long qty) {
            last = price;
            if (trades == 0) {
                open = price;
            }
            high = trades == 0 ? price : Math.max(high, price);
            low = trades == 0 ? price : Math.min(low, price);
            volume = Math.addExact(volume, qty);
            turnover = Math.addExact(turnover, Math.multiplyExact(price, qty));
            trades++;
        }

        void newDay() {
            open = 0;
            high = 0;
            low = 0;
            volume = 0;
            turnover = 0;
            trades = 0;
        }

        List<Long> asList() {
            return List.of(last, open, high, low, volume, turnover, trades);
        }
    }

    /**
     * Trading-day ends as the calendar defines them, followed on the commands' time the way an
     * exchange clock runs (never backwards; the first command only starts it).
     */
    private static final class DayEnds {
        private final TradingCalendar calendar;
        private boolean started;
        private long clock;
        private long next;

        DayEnds(TradingCalendar calendar) {
            this.calendar = calendar;
        }

        /** True when time {@code ts} has reached at least one day end not reached before. */
        boolean passedBy(long ts) {
            if (calendar == null) {
                return false;
            }
            if (!started) {
                started = true;
                clock = ts;
                next = dayEndAfter(ts);
                return false;
            }
            if (ts <= clock) {
                return false;
            }
            clock = ts;
            boolean passed = false;
            while (ts >= next) {
                passed = true;
                next = dayEndAfter(next);
            }
            return passed;
        }

        private long dayEndAfter(long t) {
            long b = calendar.nextBoundaryAfter(t);
            while (!calendar.isTradingDayEnd(b)) {
                b = calendar.nextBoundaryAfter(b);
            }
            return b;
        }
    }

    /** What the checkpoints saw, so a stream that stopped producing some case fails instead of passing idly. */
    private static final class Coverage {
        int levels;
        long stops;
        long trades;
        int dayEnds;

        void assertExercised(boolean withDayEnds) {
            String what = "most levels " + levels + ", stops seen " + stops + ", most trades " + trades + ", day ends "
                    + dayEnds;
            assertTrue(levels >= 20, what);
            assertTrue(trades >= 100, what);
            if (withDayEnds) {
                assertTrue(stops >= 10, what);
                assertTrue(dayEnds >= 3, what);
            }
        }
    }
}
