package org.opentrade.trade.adapter.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.port.StreamJournal;

class FileStreamJournalTest {
    @TempDir
    Path dir;

    private static byte[] wire(long seq) {
        return ("{\"channel\":\"orders\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }

    private List<Long> seqs(StreamJournal.Recorded r) {
        return r.entries().stream().filter(e -> e instanceof StreamJournal.Frame).map(e -> ((StreamJournal.Frame) e).seq())
                .toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted().toList();
        }
    }

    @Test
    void recordsComeBackInOrderFromTheOrigin() {
        FileStreamJournal first = new FileStreamJournal(dir);
        assertEquals(StreamJournal.Recorded.empty(), first.load());
        first.generation("e1", 1_000);
        first.frame("dev-a", 1, 1_001, wire(1));
        long token = first.mark(5, Map.of(1, 20L, 0, 10L));
        first.frame("dev-b", 1, 1_002, wire(1));
        first.close();
        first.frame("dev-a", 2, 1_003, wire(2));
        assertEquals(1, first.dropped(), "after close nothing is recorded");
        assertEquals(1, token);

        FileStreamJournal second = new FileStreamJournal(dir);
        StreamJournal.Recorded r = second.load();
        second.close();
        assertTrue(r.fromOrigin());
        assertEquals(4, r.entries().size(), r.entries().toString());
        assertEquals(new StreamJournal.Generation("e1", 1_000), r.entries().get(0));
        StreamJournal.Frame f = (StreamJournal.Frame) r.entries().get(1);
        assertEquals("dev-a", f.account());
        assertEquals(1, f.seq());
        assertEquals(1_001, f.timeMs());
        assertArrayEquals(wire(1), f.wire());
        assertEquals(new StreamJournal.Mark(5, Map.of(0, 10L, 1, 20L)), r.entries().get(2));
        assertEquals("dev-b", ((StreamJournal.Frame) r.entries().get(3)).account());
    }

    @Test
    void aTornTailIsCutAndWhatFollowsItIsKept() throws IOException {
        FileStreamJournal first = new FileStreamJournal(dir);
        first.load();
        for (long seq = 1; seq <= 3; seq++) {
            first.frame("dev-a", seq, seq, wire(seq));
        }
        first.close();
        Path last = segments().get(segments().size() - 1);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }

        FileStreamJournal second = new FileStreamJournal(dir);
        assertEquals(List.of(1L, 2L), seqs(second.load()));
        second.frame("dev-a", 3, 3, wire(3));
        second.close();
        FileStreamJournal third = new FileStreamJournal(dir);
        assertEquals(List.of(1L, 2L, 3L), seqs(third.load()), "the cut left no damage in front of the next records");
        third.close();
    }

    @Test
    void aDamagedRecordEndsThePrefixAndLaterSegmentsGo() throws IOException {
        FileStreamJournal first = new FileStreamJournal(dir);
        first.load();
        first.frame("dev-a", 1, 1, wire(1));
        first.frame("dev-a", 2, 2, wire(2));
        first.close();
        FileStreamJournal second = new FileStreamJournal(dir);
        second.load();
        second.frame("dev-a", 3, 3, wire(3));
        second.close();
        Path firstSegment = segments().get(0);
        long size = Files.size(firstSegment);
        try (FileChannel ch = FileChannel.open(firstSegment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), size - 2); // inside frame 2's body: its checksum fails
        }

        FileStreamJournal third = new FileStreamJournal(dir);
        StreamJournal.Recorded r = third.load();
        third.close();
        assertEquals(List.of(1L), seqs(r), "frame 3 came after the damage: not part of the prefix");
        assertEquals(2, segments().size(), "the damaged segment, cut, and the new one; the later one deleted");
    }

    @Test
    void aBarrierForgetsEverythingBeforeIt() {
        FileStreamJournal first = new FileStreamJournal(dir);
        first.load();
        first.frame("dev-a", 1, 1, wire(1));
        first.barrier(2);
        first.generation("e2", 2);
        first.frame("dev-a", 1, 3, wire(1));
        first.close();
        FileStreamJournal second = new FileStreamJournal(dir);
        StreamJournal.Recorded r = second.load();
        second.close();
        assertFalse(r.fromOrigin());
        assertEquals(new StreamJournal.Generation("e2", 2), r.entries().get(0));
        assertEquals(List.of(1L), seqs(r));
    }

    @Test
    void segmentsBeforeTheOlderOfTheTwoNewestDurableMarksAndOlderThanTheKeepTimeAreDeleted() throws IOException {
        FileStreamJournal j = new FileStreamJournal(dir, 200); // a few frames per segment
        j.load();
        long seq = 0;
        long[] tokens = new long[3];
        for (int m = 0; m < 3; m++) {
            for (int i = 0; i < 6; i++) {
                j.frame("dev-a", ++seq, seq, wire(seq));
                j.flush();
            }
            tokens[m] = j.mark(m, Map.of(0, seq));
        }
        int before = segments().size();
        assertTrue(before >= 6, "segments: " + before);
        j.snapshotDurable(tokens[0], 0);
        j.snapshotDurable(tokens[1], 0);
        assertEquals(before, segments().size(), "kept: younger than the keep time");
        j.snapshotDurable(tokens[2], Long.MAX_VALUE);
        j.close();
        int after = segments().size();
        assertTrue(after < before, before + " -> " + after);

        FileStreamJournal again = new FileStreamJournal(dir);
        StreamJournal.Recorded r = again.load();
        again.close();
        assertFalse(r.fromOrigin(), "the first segment, with the origin, is gone");
        assertTrue(r.entries().contains(new StreamJournal.Mark(1, Map.of(0, 12L))), "the older kept mark: " + r.entries());
        List<Long> kept = seqs(r);
        assertEquals(18L, kept.get(kept.size() - 1));
        for (int i = 1; i < kept.size(); i++) {
            assertEquals(kept.get(i - 1) + 1, kept.get(i), "what is kept has no hole: " + kept);
        }
        assertTrue(kept.get(0) <= 13L, "everything after the older kept mark (after frame 12) is there: " + kept);
    }
}
