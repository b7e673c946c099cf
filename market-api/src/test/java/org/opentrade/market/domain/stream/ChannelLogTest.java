package org.opentrade.market.domain.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelLogTest {

    @Test
    void seqsStartAtOneAndHaveNoGaps() {
        ChannelLog<String> log = new ChannelLog<>(new RetentionOptions(3, 1_000));
        assertEquals(0, log.head());
        assertEquals(1, log.append("a", 0));
        assertEquals(2, log.append("b", 0));
        assertEquals(3, log.append("c", 0));
        assertEquals(4, log.append("d", 0));
        assertEquals(4, log.head());
    }

    @Test
    void resumeFromTheHeadIsInWindowAndEmpty() {
        ChannelLog<String> log = new ChannelLog<>(RetentionOptions.defaults());
        assertEquals(new Replay<>(true, 1, List.of()), log.since(0, 0));
        log.append("a", 0);
        assertEquals(new Replay<>(true, 2, List.of()), log.since(1, 0));
    }

    @Test
    void resumeGivesExactlyTheMessagesAfterTheSeq() {
        ChannelLog<String> log = new ChannelLog<>(RetentionOptions.defaults());
        for (String s : List.of("a", "b", "c", "d", "e")) {
            log.append(s, 0);
        }
        assertEquals(new Replay<>(true, 3, List.of("c", "d", "e")), log.since(2, 0));
        assertEquals(new Replay<>(true, 1, List.of("a", "b", "c", "d", "e")), log.since(0, 0));
    }

    @Test
    void resumeOlderThanTheCountBoundIsOutOfWindow() {
        ChannelLog<String> log = new ChannelLog<>(new RetentionOptions(3, 1_000));
        for (String s : List.of("a", "b", "c", "d", "e")) {
            log.append(s, 0);
        }
        assertFalse(log.since(1, 0).inWindow(), "messages 2 was evicted");
        assertEquals(new Replay<>(true, 3, List.of("c", "d", "e")), log.since(2, 0));
    }

    @Test
    void resumeOlderThanTheAgeBoundIsOutOfWindow() {
        ChannelLog<String> log = new ChannelLog<>(new RetentionOptions(100, 1_000));
        log.append("a", 0);
        log.append("b", 500);
        log.append("c", 1_200);
        assertFalse(log.since(0, 1_200).inWindow(), "a is 1200 ms old");
        assertEquals(new Replay<>(true, 2, List.of("b", "c")), log.since(1, 1_200));
        assertEquals(new Replay<>(true, 2, List.of("b", "c")), log.since(1, 1_500), "exactly max age is kept");
        assertFalse(log.since(1, 1_501).inWindow());
        assertEquals(1, log.retained());
    }

    @Test
    void anIdleChannelWhoseMessagesExpiredStillResumesFromItsHead() {
        ChannelLog<String> log = new ChannelLog<>(new RetentionOptions(100, 10));
        log.append("a", 0);
        assertEquals(new Replay<>(true, 2, List.of()), log.since(1, 1_000));
        assertFalse(log.since(0, 1_000).inWindow());
        assertEquals(0, log.retained());
    }

    @Test
    void resumeNewerThanTheHeadIsOutOfWindow() {
        ChannelLog<String> log = new ChannelLog<>(RetentionOptions.defaults());
        log.append("a", 0);
        assertFalse(log.since(2, 0).inWindow(), "a client of an earlier process");
        assertFalse(log.since(-1, 0).inWindow());
    }

    @Test
    void retentionNeverExceedsTheCountBound() {
        ChannelLog<Integer> log = new ChannelLog<>(new RetentionOptions(50, Long.MAX_VALUE));
        for (int i = 0; i < 1_000; i++) {
            log.append(i, i);
            assertTrue(log.retained() <= 50);
        }
        assertEquals(50, log.retained());
    }

    @Test
    void optionsRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionOptions(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RetentionOptions(1, 0));
    }

    /**
     * Differential: a reference that keeps every message decides what is retained (the last
     * maxMessages, none older than maxAge as of the latest time seen), and the ring must agree on
     * every resume, in and out of window, on seeded random streams.
     */
    @Test
    void agreesWithAReferenceThatKeepsEverythingOnRandomStreams() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            int max = 1 + rnd.nextInt(40);
            long maxAge = 1 + rnd.nextInt(200);
            ChannelLog<Integer> log = new ChannelLog<>(new RetentionOptions(max, maxAge));
            List<Long> times = new ArrayList<>();
            long now = 0;
            for (int step = 0; step < 2_000; step++) {
                now += rnd.nextInt(20);
                if (rnd.nextInt(3) > 0) {
                    assertEquals(times.size() + 1, log.append(times.size() + 1, now));
                    times.add(now);
                    continue;
                }
                long head = times.size();
                long seq = rnd.nextInt((int) head + 4) - 1;
                Replay<Integer> got = log.since(seq, now);
                boolean expectIn = seq >= 0 && seq <= head;
                for (long s = seq + 1; expectIn && s <= head; s++) {
                    boolean amongLast = s > head - max;
                    boolean young = now - times.get((int) s - 1) <= maxAge;
                    expectIn = amongLast && young;
                }
                assertEquals(expectIn, got.inWindow(), "seed " + seed + " step " + step + " seq " + seq);
                if (expectIn) {
                    List<Integer> expected = new ArrayList<>();
                    for (long s = seq + 1; s <= head; s++) {
                        expected.add((int) s);
                    }
                    assertEquals(expected, got.messages());
                    assertEquals(seq + 1, got.fromSeq());
                }
            }
        }
    }
}
