package org.opentrade.exchange.adapter.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

class FileCommandJournalTest {
    @TempDir
    Path dir;

    private static Command order(long id) {
        return Command.newOrder(id, "acct-" + id, "600000.SH", id % 2 == 0 ? Side.BUY : Side.SELL,
                OrderType.STOP_LIMIT, TimeInForce.DAY, 1000 + id, 990, 100 * id, 1_700_000_000_000L + id)
                .withTraceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    private static List<Command> readAll(FileCommandJournal j, long after) {
        List<Command> out = new ArrayList<>();
        j.replay(after, out::add);
        return out;
    }

    @Test
    void committedCommandsReadBackExactlyAfterReopen() {
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.BATCH)) {
            for (long i = 1; i <= 100; i++) {
                assertEquals(i, j.append(order(i)));
            }
            j.commit();
            j.append(Command.cancel(7, "600000.SH", 5));
            j.append(Command.tick(9));
        }
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.BATCH)) {
            assertEquals(102, j.lastSeq());
            List<Command> all = readAll(j, 0);
            assertEquals(102, all.size());
            assertEquals(order(42), all.get(41));
            assertEquals(Command.cancel(7, "600000.SH", 5), all.get(100));
            assertEquals(Command.tick(9), all.get(101));
            assertEquals(List.of(Command.tick(9)), readAll(j, 101));
        }
    }

    @Test
    void tornTailIsCutOffAndAppendsContinueAfterLastIntactRecord() throws IOException {
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE)) {
            for (long i = 1; i <= 10; i++) {
                j.append(order(i));
            }
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(size - 5); // a crash in the middle of the last record
        }
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE)) {
            assertEquals(9, j.lastSeq());
            assertEquals(10, j.append(order(10)));
        }
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE)) {
            List<Command> all = readAll(j, 0);
            assertEquals(10, all.size());
            assertEquals(order(10), all.get(9));
        }
    }

    @Test
    void corruptRecordEndsTheReadableJournal() throws IOException {
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE)) {
            for (long i = 1; i <= 10; i++) {
                j.append(order(i));
            }
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(size - 20);
            f.write(0x5A ^ f.read()); // flip bits inside the last record's payload
        }
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE)) {
            assertEquals(9, j.lastSeq());
            assertEquals(9, readAll(j, 0).size());
        }
    }

    @Test
    void segmentsRollAndOldOnesCanBePruned() throws IOException {
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE, 4096)) {
            for (long i = 1; i <= 500; i++) {
                j.append(order(i));
                if (i % 10 == 0) {
                    j.commit();
                }
            }
            j.commit();
            long segments = segmentCount();
            assertTrue(segments > 3, "expected several segments, got " + segments);
            assertEquals(500, readAll(j, 0).size());
            assertEquals(order(301), readAll(j, 300).get(0));
            j.deleteUpTo(250);
            assertTrue(segmentCount() < segments);
            List<Command> tail = readAll(j, 250);
            assertEquals(250, tail.size());
            assertEquals(order(251), tail.get(0));
        }
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE, 4096)) {
            assertEquals(500, j.lastSeq());
        }
    }

    @Test
    void nonAsciiAndNullFieldsSurvive() {
        Command odd = new Command(org.opentrade.exchange.model.CommandType.NEW_ORDER, 5, "账户-α", "600519.SH",
                null, null, null, 0, 0, -3, 0, null);
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE)) {
            j.append(odd);
        }
        try (FileCommandJournal j = FileCommandJournal.open(dir, FsyncPolicy.NONE)) {
            assertEquals(List.of(odd), readAll(j, 0));
        }
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.toList();
            assertEquals(1, l.size());
            return l.get(0);
        }
    }

    private long segmentCount() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
