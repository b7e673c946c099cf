package org.opentrade.trade.adapter.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.port.StreamJournal;
import org.opentrade.trade.port.StreamJournalContract;

class FileStreamJournalTest extends StreamJournalContract {
    @TempDir
    Path dir;

    @Override
    protected StreamJournal newJournal() {
        return new FileStreamJournal(dir);
    }

    @Override
    protected StreamJournal nextProcess() {
        return new FileStreamJournal(dir);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted().toList();
        }
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
    void segmentsBeforeTheOlderOfTheTwoNewestDurableMarksAndOlderThanTheKeepTimeAreDeleted() throws IOException {
        FileStreamJournal j = new FileStreamJournal(dir, 200); // a few frames per segment
        j.load();
        j.generation("e1", 1);
        long[] tokens = framesAndMarks(j, () -> { });
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
        assertEquals(new StreamJournal.Generation("e1", 1), r.entries().get(0),
                "the kept frames' generation, though its first record went with the first segment");
        assertTrue(r.entries().contains(new StreamJournal.Mark(1, Map.of(0, 12L))), "the older kept mark: " + r.entries());
        List<Long> kept = seqs(r);
        assertEquals(18L, kept.get(kept.size() - 1));
        for (int i = 1; i < kept.size(); i++) {
            assertEquals(kept.get(i - 1) + 1, kept.get(i), "what is kept has no hole: " + kept);
        }
        assertTrue(kept.get(0) <= 13L, "everything after the older kept mark (after frame 12) is there: " + kept);
    }
}
