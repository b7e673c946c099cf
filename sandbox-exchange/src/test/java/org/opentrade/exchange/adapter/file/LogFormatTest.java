package org.opentrade.exchange.adapter.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Golden files pin the journal and event-log formats: today's writer must produce exactly the
 * committed bytes, and every older version must still read. A failure here means a change would
 * break existing data directories. To change a format on purpose: raise the codec's {@code VERSION},
 * keep reading the old one, and add a new golden file next to the old ones (write it with
 * {@code -Dgolden.write=true}, which refuses to overwrite); never rewrite an existing golden file.
 *
 * <ul>
 *   <li>{@code golden/journal-v1.log}: a segment as the first format wrote it, records without a
 *   segment header (enum bytes were ordinals, which the explicit codes equal).</li>
 *   <li>{@code golden/journal-v2.log}: the same commands with the segment header (magic "OTJL",
 *   version 2).</li>
 *   <li>{@code golden/events-v1.log}: events of every type, with absent and non-ASCII fields.</li>
 * </ul>
 */
class LogFormatTest {
    private static final long T = 1_767_225_600_000L;
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    Path dir;

    static List<Command> commands() {
        return List.of(
                Command.limit(1, "alice", "600000.SH", Side.BUY, TimeInForce.GTC, 1001, 300, T).withTraceParent(TRACE),
                Command.market(2, "bob", "600000.SH", Side.SELL, 100, T + 1),
                Command.newOrder(3, "账户-3", "300750.SZ", Side.BUY, OrderType.STOP_LIMIT, TimeInForce.DAY, 20100,
                        20000, 200, T + 2),
                Command.newOrder(4, "carol", "688981.SH", Side.SELL, OrderType.STOP, TimeInForce.FOK, Price.NONE,
                        9000, 500, T + 3),
                Command.replace(1, "600000.SH", 1002, 200, T + 4),
                Command.cancel(3, "300750.SZ", T + 5),
                Command.tick(T + 6),
                Command.newOrder(5, "dave", "000001.SZ", Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 1200, Price.NONE,
                        100, T + 7));
    }

    static List<ExchangeEvent> events() {
        List<ExchangeEvent> l = new ArrayList<>();
        long seq = 1;
        for (EventType t : EventType.values()) {
            boolean trade = t == EventType.TRADE;
            l.add(new ExchangeEvent(seq, 2, t, 100 + seq, t == EventType.REJECTED ? null : "acct-" + seq,
                    trade ? 99 : 0, trade ? "maker-账户" : null, "600000.SH", seq % 2 == 0 ? Side.BUY : Side.SELL,
                    OrderType.ofCode((int) (seq % 4)), TimeInForce.ofCode((int) (seq % 4)), 1000 + seq, 100 * seq,
                    50, 50 * seq, trade ? 25 : 0, t == EventType.REJECTED ? ResultCode.PRICE_OUTSIDE_BAND : ResultCode.OK,
                    T + seq, seq % 3 == 0 ? TRACE : null));
            seq++;
        }
        return l;
    }

    @Test
    void todaysJournalWriterProducesTheVersion2GoldenBytes() throws IOException {
        Path d = dir.resolve("j");
        try (FileCommandJournal j = FileCommandJournal.open(d, FsyncPolicy.NONE)) {
            commands().forEach(j::append);
        }
        byte[] written = Files.readAllBytes(onlySegment(d));
        writeGoldenIfAsked("journal-v2.log", written);
        assertArrayEquals(golden("journal-v2.log"), written);
    }

    @Test
    void bothJournalVersionsReadBackTheSameCommands() throws IOException {
        for (String name : List.of("journal-v1.log", "journal-v2.log")) {
            Path d = dir.resolve(name);
            Files.createDirectories(d);
            Files.write(d.resolve("journal-00000000000000000001.log"), golden(name));
            try (FileCommandJournal j = FileCommandJournal.open(d, FsyncPolicy.NONE)) {
                List<Command> read = new ArrayList<>();
                j.replay(0, read::add);
                assertEquals(commands(), read, name);
                assertEquals(commands().size() + 1, j.append(Command.tick(T + 99)), name + ": appends continue");
            }
        }
    }

    @Test
    void version1IsVersion2WithoutTheSegmentHeader() throws IOException {
        byte[] v1 = golden("journal-v1.log");
        byte[] v2 = golden("journal-v2.log");
        assertEquals(SegmentedLog.SEGMENT_HEADER, v2.length - v1.length);
        for (int i = 0; i < v1.length; i++) {
            assertEquals(v1[i], v2[i + SegmentedLog.SEGMENT_HEADER], "byte " + i);
        }
    }

    @Test
    void todaysEventLogWriterProducesTheVersion1GoldenBytesAndReadsThemBack() throws IOException {
        Path d = dir.resolve("e");
        try (FileEventLog log = FileEventLog.open(d, 2)) {
            log.append(events());
            log.commit();
        }
        byte[] written = Files.readAllBytes(onlySegment(d));
        writeGoldenIfAsked("events-v1.log", written);
        assertArrayEquals(golden("events-v1.log"), written);
        Path g = dir.resolve("g");
        Files.createDirectories(g);
        Files.write(g.resolve("events-00000000000000000001.log"), golden("events-v1.log"));
        try (FileEventLog log = FileEventLog.open(g, 2)) {
            List<ExchangeEvent> read = new ArrayList<>();
            log.read(0, 100, read::add);
            assertEquals(events(), read);
        }
    }

    @Test
    void aSegmentOfAnUnknownVersionIsRefusedWithAClearMessage() throws IOException {
        byte[] v2 = golden("journal-v2.log");
        v2[5] = 9; // version 9 in the segment header
        Path d = dir.resolve("future");
        Files.createDirectories(d);
        Files.write(d.resolve("journal-00000000000000000001.log"), v2);
        try (FileCommandJournal j = FileCommandJournal.open(d, FsyncPolicy.NONE)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> j.replay(0, c -> { }));
            assertTrue(e.getMessage().contains("version 9"), e.getMessage());
        }
    }

    private static Path onlySegment(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            List<Path> l = s.toList();
            assertEquals(1, l.size(), String.valueOf(l));
            return l.get(0);
        }
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = LogFormatTest.class.getResourceAsStream("/golden/" + name)) {
            assertTrue(in != null, "missing golden file " + name);
            return in.readAllBytes();
        }
    }

    private static void writeGoldenIfAsked(String name, byte[] bytes) throws IOException {
        if (Boolean.getBoolean("golden.write")) {
            Path p = Path.of("src/test/resources/golden", name);
            if (Files.exists(p)) {
                throw new IllegalStateException(p + " exists: golden files are never rewritten; raise the version");
            }
            Files.write(p, bytes);
        }
    }
}
