package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentrade.exchange.client.book.BookReplica;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * What a feed consumer builds equals what the exchange holds: a {@link BookReplica} per symbol,
 * loaded from a book snapshot taken mid-stream and then fed every later event, shows exactly the
 * engine's own L2 book (every level's price, total quantity and order count) at checkpoints and
 * after 1 M random commands — with continuous matching, replaces, cancels, stops, day ends and
 * opening auctions. A second set of replicas loaded later proves the seam at another point.
 */
class BookReplicaDifferentialTest {
    private static final int SHARD = 3;

    record Setup(String name, Supplier<MatchingEngine> engines, RandomCommandStream.Options options, long seed,
                 int commands) {
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
                Arguments.of(new Setup("pure matching", MatchingEngine::pure, RandomCommandStream.pureOptions(), 41,
                        300_000)),
                Arguments.of(new Setup("rules, 24x7 with day ends",
                        () -> MatchingEngine.withRules(TestInstruments.catalog(), continuous),
                        RandomCommandStream.rulesOptions(TestInstruments.catalog(), monday, 5_000), 42, 300_000)),
                Arguments.of(new Setup("rules, A-share sessions and auctions, 1 M commands",
                        () -> MatchingEngine.withRules(TestInstruments.catalog(), ashare),
                        RandomCommandStream.rulesOptions(TestInstruments.catalog(), monday, 1_000)
                                .withActiveWindow(LocalTime.of(9, 10), LocalTime.of(15, 5), AShareCalendar.ZONE), 43,
                        1_000_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void replicaFromSnapshotPlusEventsEqualsTheEnginesBook(Setup setup) {
        RandomCommandStream stream = new RandomCommandStream(setup.seed(), setup.options());
        MatchingEngine engine = setup.engines().get();
        EventCollector events = new EventCollector(SHARD, 0);
        Map<String, BookReplica> early = new HashMap<>();
        Map<String, BookReplica> late = new HashMap<>();
        int firstLoad = setup.commands() / 10;
        int secondLoad = setup.commands() / 2 + 7;
        int compared = 0;
        long applied = 0;
        for (int i = 1; i <= setup.commands(); i++) {
            Command c = stream.next();
            events.begin(c);
            engine.process(c, events);
            for (ExchangeEvent e : events.events()) {
                BookReplica r = early.get(e.symbol());
                if (r != null && r.apply(e)) {
                    applied++;
                }
                BookReplica r2 = late.get(e.symbol());
                if (r2 != null) {
                    r2.apply(e);
                }
            }
            if (i == firstLoad) {
                load(engine, events.lastSeq(), early);
            } else if (i == secondLoad) {
                load(engine, events.lastSeq(), late);
            }
            if (i > firstLoad && (i % 50_000 == 0 || i == setup.commands())) {
                compared += compare(engine, events.lastSeq(), early, "early replica after command " + i);
                if (i > secondLoad) {
                    compared += compare(engine, events.lastSeq(), late, "late replica after command " + i);
                }
            }
        }
        assertTrue(applied > setup.commands() / 2, "the replicas followed the stream: " + applied + " events applied");
        assertTrue(compared > 0, "books were compared");
    }

    private static void load(MatchingEngine engine, long seq, Map<String, BookReplica> into) {
        for (String symbol : engine.symbols()) {
            BookReplica r = new BookReplica(symbol);
            r.load(engine.bookSnapshot(SHARD, seq, symbol, true));
            into.put(symbol, r);
        }
    }

    /** Compares every symbol's levels; returns how many non-empty books were compared. */
    private static int compare(MatchingEngine engine, long seq, Map<String, BookReplica> replicas, String when) {
        int nonEmpty = 0;
        List<String> symbols = new ArrayList<>(engine.symbols());
        for (String symbol : symbols) {
            BookSnapshot truth = engine.bookSnapshot(SHARD, seq, symbol, false);
            BookReplica r = replicas.get(symbol);
            if (r == null) {
                // A symbol first traded after the replicas were loaded (pure mode makes books on demand).
                r = new BookReplica(symbol);
                replicas.put(symbol, r);
                r.load(engine.bookSnapshot(SHARD, seq, symbol, true));
            }
            assertEquals(truth.bids(), r.bids(), symbol + " bids, " + when);
            assertEquals(truth.asks(), r.asks(), symbol + " asks, " + when);
            if (!truth.bids().isEmpty() || !truth.asks().isEmpty()) {
                nonEmpty++;
            }
        }
        return nonEmpty;
    }
}
