package org.opentrade.trade.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.file.FileStreamJournal;
import org.opentrade.trade.port.StreamJournal;
import org.opentrade.trade.port.StreamJournal.Frame;
import org.opentrade.trade.port.StreamJournal.Generation;
import org.opentrade.trade.port.StreamJournal.Recorded;
import org.opentrade.trade.port.StreamJournalContract;

/**
 * Which copy of the order stream's journal a start goes on from (here both copies are files, standing for the
 * data directory's and Redis'): the one holding the newest records.
 */
class MirroredStreamJournalTest extends StreamJournalContract {
    @TempDir
    Path dir;

    @Override
    protected StreamJournal newJournal() {
        return nextProcess();
    }

    @Override
    protected StreamJournal nextProcess() {
        return new MirroredStreamJournal(new FileStreamJournal(dir.resolve("local")), new FileStreamJournal(dir.resolve("shared")));
    }

    private static Frame frame(long seq) {
        return new Frame("dev-a", seq, seq, wire(seq));
    }

    @Test
    void whenThisHostsProcessWroteLastItsFilesAreTheHistory() {
        // This host's files kept frames 2 and 3; Redis stopped recording after frame 1 (an outage, say).
        Recorded files = new Recorded(false, List.of(new Generation("e1", 1_000), frame(1), frame(2), frame(3)));
        Recorded redis = new Recorded(false, List.of(new Generation("e1", 1_000), frame(1)));
        assertSame(files, MirroredStreamJournal.newest(files, redis));
        assertSame(files, MirroredStreamJournal.newest(files, new Recorded(true, List.of())), "nothing in Redis yet");
        Recorded longerCopy = new Recorded(false, List.of(new Generation("e1", 1_000), frame(1), frame(2), frame(3),
                frame(4)));
        assertSame(files, MirroredStreamJournal.newest(files, longerCopy), "the same process: the files, whatever the"
                + " lengths, so every start of this host reads the same history");
    }

    @Test
    void aLaterProcessOnAnotherHostMakesRedisTheNewest() {
        // This host served as e1; a process on another host took over as e2 and recorded into Redis only.
        Recorded files = new Recorded(false, List.of(new Generation("e1", 1_000), frame(1), frame(2), frame(3)));
        Recorded redis = new Recorded(false, List.of(new Generation("e1", 1_000), frame(1), frame(2), frame(3),
                new Generation("e2", 5_000), frame(4)));
        assertSame(redis, MirroredStreamJournal.newest(files, redis));
        assertSame(redis, MirroredStreamJournal.newest(new Recorded(true, List.of()), redis), "a host that never served");
    }

    @Test
    void bothCopiesGetEveryRecordAndTheirOwnTokens() {
        StreamJournal j = newJournal();
        j.load();
        j.generation("e1", 1);
        j.frame("dev-a", 1, 1, wire(1));
        long token = j.mark(3, Map.of(0, 1L));
        j.snapshotDurable(token, 0);
        j.close();
        for (String copy : List.of("local", "shared")) {
            FileStreamJournal one = new FileStreamJournal(dir.resolve(copy));
            Recorded r = one.load();
            one.close();
            assertEquals(List.of(new Generation("e1", 1), r.entries().get(1), new StreamJournal.Mark(3, Map.of(0, 1L))),
                    r.entries(), copy);
            assertEquals(1, ((Frame) r.entries().get(1)).seq(), copy);
        }
    }
}
