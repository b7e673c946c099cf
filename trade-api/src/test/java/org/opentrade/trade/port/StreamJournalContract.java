package org.opentrade.trade.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StreamJournal} does, whatever keeps it (files, Redis): what one process recorded, the next
 * one loads, in order, and a barrier makes it forget what came before.
 */
public abstract class StreamJournalContract {

    /** A journal of the first process, on an empty store. */
    protected abstract StreamJournal newJournal() throws Exception;

    /** A journal of the next process, on what the earlier ones left (they are closed). */
    protected abstract StreamJournal nextProcess() throws Exception;

    protected static byte[] wire(long seq) {
        return ("{\"channel\":\"orders\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }

    protected static List<Long> seqs(StreamJournal.Recorded r) {
        return r.entries().stream().filter(e -> e instanceof StreamJournal.Frame).map(e -> ((StreamJournal.Frame) e).seq())
                .toList();
    }

    /**
     * Three snapshots' worth: six frames of one account (seqs 1 to 18), each flushed and followed by
     * {@code afterEachFrame}, then a mark (intent index 0, 1, 2; feed position the last seq). Returns the marks' tokens.
     */
    protected static long[] framesAndMarks(StreamJournal j, Runnable afterEachFrame) {
        long seq = 0;
        long[] tokens = new long[3];
        for (int m = 0; m < 3; m++) {
            for (int i = 0; i < 6; i++) {
                j.frame("dev-a", ++seq, seq, wire(seq));
                j.flush();
                afterEachFrame.run();
            }
            tokens[m] = j.mark(m, Map.of(0, seq));
        }
        return tokens;
    }

    @Test
    public void recordsComeBackInOrderFromTheOriginInTheNextProcess() throws Exception {
        StreamJournal first = newJournal();
        assertEquals(StreamJournal.Recorded.empty(), first.load());
        first.generation("e1", 1_000);
        first.frame("dev-a", 1, 1_001, wire(1));
        long token = first.mark(5, Map.of(1, 20L, 0, 10L));
        first.frame("dev-b", 1, 1_002, wire(1));
        first.close();
        first.frame("dev-a", 2, 1_003, wire(2));
        assertEquals(1, first.dropped(), "after close nothing is recorded");
        assertEquals(1, token);

        StreamJournal second = nextProcess();
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
    public void aBarrierForgetsEverythingBeforeIt() throws Exception {
        StreamJournal first = newJournal();
        first.load();
        first.frame("dev-a", 1, 1, wire(1));
        first.barrier(2);
        first.generation("e2", 2);
        first.frame("dev-a", 1, 3, wire(1));
        first.close();
        StreamJournal second = nextProcess();
        StreamJournal.Recorded r = second.load();
        second.close();
        assertFalse(r.fromOrigin());
        assertEquals(new StreamJournal.Generation("e2", 2), r.entries().get(0));
        assertEquals(List.of(1L), seqs(r));
    }
}
