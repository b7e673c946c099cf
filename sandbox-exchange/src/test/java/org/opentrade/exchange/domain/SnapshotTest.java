package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Snapshots: an engine restored from a snapshot taken anywhere in a stream continues exactly like the
 * engine that wrote it (same events, same state hash, same book snapshots with day statistics), and
 * snapshot + tail equals a clean replay of the whole stream. Restore refuses what it cannot load
 * faithfully. The byte format itself is pinned by {@link SnapshotFormatTest}.
 */
class SnapshotTest {
    private static final int COMMANDS = 60_000;
    private static final int[] CHECKPOINTS = {0, 1, 777, 15_000, 42_000, COMMANDS};

    /** A stream and a way to build fresh engines for it on either book. */
    record Setup(String name, Function<OrderBook.Factory, MatchingEngine> engines, RandomCommandStream.Options options,
                 long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> setups() {
        long monday = ExchangeScenario.epochMillis("2024-03-04T09:10");
        Set<LocalDate> holidays = Set.of(LocalDate.of(2024, 3, 6));
        return Stream.of(
                Arguments.of(new Setup("pure matching", MatchingEngine::pure, RandomCommandStream.pureOptions(), 17)),
                Arguments.of(new Setup("rules, 24x7 with day ends",
                        books -> MatchingEngine.withRules(TestInstruments.catalog(), new ContinuousCalendar(), books),
                        RandomCommandStream.rulesOptions(TestInstruments.catalog(), monday, 20_000), 18)),
                Arguments.of(new Setup("rules, A-share sessions and auctions",
                        books -> MatchingEngine.withRules(TestInstruments.catalog(), new AShareCalendar(holidays), books),
                        RandomCommandStream.rulesOptions(TestInstruments.catalog(), monday, 500)
                                .withActiveWindow(LocalTime.of(9, 10), LocalTime.of(15, 5), AShareCalendar.ZONE), 19)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void engineRestoredAnywhereInAStreamContinuesExactlyLikeTheOriginal(Setup setup) throws IOException {
        List<Command> commands = new RandomCommandStream(setup.seed(), setup.options()).take(COMMANDS);

        // the original, snapshotting at each checkpoint
        MatchingEngine original = setup.engines().apply(FastOrderBook::new);
        EventCollector events = new EventCollector(0);
        List<List<ExchangeEvent>> originalEvents = new ArrayList<>();
        List<byte[]> snapshots = new ArrayList<>();
        List<Long> eventSeqs = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<Map<String, BookSnapshot>> bookViews = new ArrayList<>();
        int next = 0;
        for (int i = 0; i <= commands.size(); i++) {
            if (next < CHECKPOINTS.length && CHECKPOINTS[next] == i) {
                snapshots.add(snapshot(original));
                eventSeqs.add(events.lastSeq());
                hashes.add(original.stateHash());
                bookViews.add(bookSnapshots(original));
                next++;
            }
            if (i < commands.size()) {
                events.begin(commands.get(i));
                original.process(commands.get(i), events);
                originalEvents.add(List.copyOf(events.events()));
            }
        }
        String finalHash = original.stateHash();
        assertTrue(original.liveOrders() > 0, "the stream leaves orders behind to restore");
        assertTrue(bookViews.stream().flatMap(m -> m.values().stream()).anyMatch(b -> b.trades() > 0),
                "some checkpoint has day statistics to restore");

        for (int k = 0; k < CHECKPOINTS.length; k++) {
            int at = CHECKPOINTS[k];
            for (OrderBook.Factory books : List.<OrderBook.Factory>of(FastOrderBook::new, ReferenceOrderBook::new)) {
                MatchingEngine restored = setup.engines().apply(books);
                restore(restored, snapshots.get(k));
                assertEquals(hashes.get(k), restored.stateHash(), "hash right after restoring at " + at);
                assertArrayEquals(snapshots.get(k), snapshot(restored), "a restored engine writes the same snapshot");
                Map<String, BookSnapshot> expectedBooks = bookViews.get(k);
                Map<String, BookSnapshot> restoredBooks = bookSnapshots(restored);
                assertTrue(expectedBooks.keySet().containsAll(restoredBooks.keySet()), "symbols at " + at);
                restoredBooks.forEach((symbol, b) -> assertEquals(expectedBooks.get(symbol), b, symbol + " at " + at));
                EventCollector tail = new EventCollector(eventSeqs.get(k));
                for (int i = at; i < commands.size(); i++) {
                    tail.begin(commands.get(i));
                    restored.process(commands.get(i), tail);
                    if (!tail.events().equals(originalEvents.get(i))) {
                        fail("restored at " + at + ", command " + i + " " + commands.get(i) + "\noriginal: "
                                + originalEvents.get(i) + "\nrestored: " + tail.events());
                    }
                }
                assertEquals(finalHash, restored.stateHash(), "final state after restoring at " + at);
            }
        }

        MatchingEngine clean = setup.engines().apply(ReferenceOrderBook::new);
        for (Command c : commands) {
            clean.process(c, ExchangeListener.NONE);
        }
        assertEquals(finalHash, clean.stateHash(), "snapshot + tail equals a clean replay of the whole stream");
    }

    @Test
    void restoredStateShowsTheSameOrdersInTheSamePriority() throws IOException {
        MatchingEngine original = MatchingEngine.pure();
        RandomCommandStream stream = RandomCommandStream.pure(3);
        for (int i = 0; i < 20_000; i++) {
            original.process(stream.next(), ExchangeListener.NONE);
        }
        MatchingEngine restored = MatchingEngine.pure(ReferenceOrderBook::new);
        restore(restored, snapshot(original));
        assertEquals(EngineState.describe(original, stream.symbols()), EngineState.describe(restored, stream.symbols()));
    }

    @Test
    void stopsAndTheirTriggersSurviveARestore() throws IOException {
        MatchingEngine original = MatchingEngine.pure();
        original.process(Command.newOrder(1, "a", "X", Side.BUY, OrderType.STOP, TimeInForce.GTC, Price.NONE, 1010, 100,
                0), ExchangeListener.NONE);
        original.process(Command.limit(2, "b", "X", Side.SELL, TimeInForce.GTC, 1010, 300, 0), ExchangeListener.NONE);
        MatchingEngine restored = MatchingEngine.pure();
        restore(restored, snapshot(original));

        EventLog log = new EventLog();
        restored.process(Command.limit(3, "c", "X", Side.BUY, TimeInForce.GTC, 1010, 100, 0), log);
        assertEquals(List.of("ACCEPTED 3 BUY 100@10.10", "TRADE 3x2 100@10.10 leaves 0", "TRIGGERED 1 BUY 100@MKT",
                "TRADE 1x2 100@10.10 leaves 0"), log.lines());
    }

    @Test
    void stateHashIsEqualForEqualStatesAndChangesWithAnyOrder() {
        MatchingEngine a = MatchingEngine.pure(FastOrderBook::new);
        MatchingEngine b = MatchingEngine.pure(ReferenceOrderBook::new);
        assertEquals(a.stateHash(), b.stateHash());
        Command c = Command.limit(1, "a", "X", Side.BUY, TimeInForce.GTC, 1000, 100, 0);
        a.process(c, ExchangeListener.NONE);
        assertNotEquals(b.stateHash(), a.stateHash());
        b.process(c, ExchangeListener.NONE);
        assertEquals(a.stateHash(), b.stateHash());
        assertEquals(16, a.stateHash().length());
    }

    @Test
    void restoreRefusesAnEngineThatHasProcessedACommand() throws IOException {
        byte[] snap = snapshot(MatchingEngine.pure());
        MatchingEngine used = MatchingEngine.pure();
        used.process(Command.limit(1, "a", "X", Side.BUY, TimeInForce.GTC, 1000, 100, 0), ExchangeListener.NONE);
        assertThrows(IllegalStateException.class, () -> restore(used, snap));
    }

    @Test
    void restoreRefusesAnEngineWhoseClockHasStartedEvenWithoutOrders() throws IOException {
        byte[] snap = snapshot(MatchingEngine.pure());
        MatchingEngine ticked = MatchingEngine.pure();
        ticked.process(Command.tick(5), ExchangeListener.NONE);
        assertThrows(IllegalStateException.class, () -> restore(ticked, snap));
    }

    @Test
    void restoreRefusesAnUnknownSnapshotVersion() throws IOException {
        byte[] snap = snapshot(MatchingEngine.pure());
        ByteBuffer.wrap(snap).putInt(0, 4);
        IOException e = assertThrows(IOException.class, () -> restore(MatchingEngine.pure(), snap));
        assertTrue(e.getMessage().contains("version 4"), e.getMessage());
    }

    @Test
    void restoreRefusesAnUnknownEnumCodeAsACorruptSnapshot() throws IOException {
        byte[] snap = snapshot(MatchingEngine.pure());
        ByteBuffer.wrap(snap).putInt(4 + 8 + 1 + 8, 99); // after version, seq, clockStarted, clock: the phase
        IOException e = assertThrows(IOException.class, () -> restore(MatchingEngine.pure(), snap));
        assertTrue(e.getMessage().contains("SessionPhase code 99"), e.getMessage());
    }

    @Test
    void restoreRefusesATruncatedSnapshot() throws IOException {
        MatchingEngine original = MatchingEngine.pure();
        original.process(Command.limit(1, "a", "X", Side.BUY, TimeInForce.GTC, 1000, 100, 0), ExchangeListener.NONE);
        byte[] snap = snapshot(original);
        byte[] cut = java.util.Arrays.copyOf(snap, snap.length - 5);
        assertThrows(EOFException.class, () -> restore(MatchingEngine.pure(), cut));
    }

    @Test
    void restoreRefusesASymbolOutsideTheCatalog() throws IOException {
        MatchingEngine pure = MatchingEngine.pure();
        pure.process(Command.limit(1, "a", "NOT.LISTED", Side.BUY, TimeInForce.GTC, 1000, 100, 0),
                ExchangeListener.NONE);
        byte[] snap = snapshot(pure);
        MatchingEngine rules = MatchingEngine.withRules(TestInstruments.catalog(), new ContinuousCalendar());
        IOException e = assertThrows(IOException.class, () -> restore(rules, snap));
        assertTrue(e.getMessage().contains("NOT.LISTED"), e.getMessage());
    }

    /** Every symbol's book snapshot with orders, stops and day statistics. */
    private static Map<String, BookSnapshot> bookSnapshots(MatchingEngine e) {
        Map<String, BookSnapshot> m = new TreeMap<>();
        for (String symbol : e.symbols()) {
            m.put(symbol, e.bookSnapshot(0, 0, symbol, true));
        }
        return m;
    }

    static byte[] snapshot(MatchingEngine e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            e.writeSnapshot(new DataOutputStream(bytes));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return bytes.toByteArray();
    }

    static void restore(MatchingEngine e, byte[] snapshot) throws IOException {
        e.restoreSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
    }
}
