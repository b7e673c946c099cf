package org.opentrade.trade.domain.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentrade.trade.domain.stream.AccountLog.Appended;

class AccountLogTest {

    @Test
    void theLedgersSeqIsKeptAsGivenNotRenumbered() {
        AccountLog<String> log = new AccountLog<>(RetentionOptions.defaults(), 0);
        assertEquals(Appended.APPENDED, log.append(1, "a", 0));
        assertEquals(Appended.APPENDED, log.append(2, "b", 0));
        assertEquals(2, log.head());

        AccountLog<String> afterRestart = new AccountLog<>(RetentionOptions.defaults(), 41);
        assertEquals(41, afterRestart.head());
        assertEquals(Appended.APPENDED, afterRestart.append(42, "x", 0));
        assertEquals(new Replay<>(true, 42, List.of("x")), afterRestart.since(41, 0));
    }

    @Test
    void aSeqNotAfterTheHeadIsStaleAndNotKept() {
        AccountLog<String> log = new AccountLog<>(RetentionOptions.defaults(), 0);
        log.append(1, "a", 0);
        log.append(2, "b", 0);
        assertEquals(Appended.STALE, log.append(2, "b again", 0));
        assertEquals(Appended.STALE, log.append(1, "old", 0));
        assertEquals(new Replay<>(true, 1, List.of("a", "b")), log.since(0, 0));
    }

    @Test
    void aSeqThatSkipsAheadRestartsTheLogSoNoGapIsServedAsComplete() {
        AccountLog<String> log = new AccountLog<>(RetentionOptions.defaults(), 0);
        log.append(1, "a", 0);
        log.append(2, "b", 0);
        assertEquals(Appended.RESTARTED, log.append(5, "e", 0));
        assertEquals(5, log.head());
        assertFalse(log.since(2, 0).inWindow(), "3 and 4 were never seen");
        assertFalse(log.since(0, 0).inWindow());
        assertEquals(new Replay<>(true, 5, List.of("e")), log.since(4, 0));
        assertEquals(Appended.APPENDED, log.append(6, "f", 0));
        assertEquals(new Replay<>(true, 6, List.of("f")), log.since(5, 0));
    }

    @Test
    void resumeOlderThanTheCountBoundIsOutOfWindow() {
        AccountLog<String> log = new AccountLog<>(new RetentionOptions(3, 1_000), 10);
        for (int seq = 11; seq <= 15; seq++) {
            log.append(seq, "m" + seq, 0);
        }
        assertFalse(log.since(11, 0).inWindow(), "12 was evicted");
        assertEquals(new Replay<>(true, 13, List.of("m13", "m14", "m15")), log.since(12, 0));
    }

    @Test
    void resumeOlderThanTheAgeBoundIsOutOfWindow() {
        AccountLog<String> log = new AccountLog<>(new RetentionOptions(100, 1_000), 0);
        log.append(1, "a", 0);
        log.append(2, "b", 500);
        log.append(3, "c", 1_200);
        assertFalse(log.since(0, 1_200).inWindow(), "a is 1200 ms old");
        assertEquals(new Replay<>(true, 2, List.of("b", "c")), log.since(1, 1_500), "exactly max age is kept");
        assertFalse(log.since(1, 1_501).inWindow());
        assertEquals(1, log.retained(1_501));
        assertEquals(0, log.retained(2_201));
        assertEquals(new Replay<>(true, 4, List.of()), log.since(3, 5_000), "an idle account resumes from its head");
    }

    @Test
    void resumeNewerThanTheHeadOrNegativeIsOutOfWindow() {
        AccountLog<String> log = new AccountLog<>(RetentionOptions.defaults(), 0);
        log.append(1, "a", 0);
        assertFalse(log.since(2, 0).inWindow());
        assertFalse(log.since(-1, 0).inWindow());
    }

    @Test
    void badArgumentsFailFast() {
        assertThrows(IllegalArgumentException.class, () -> new AccountLog<>(RetentionOptions.defaults(), -1));
        assertThrows(IllegalArgumentException.class, () -> new RetentionOptions(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RetentionOptions(1, 0));
    }

    /** Differential: on random appends, each resume equals what a list of every message computes. */
    @Test
    void everyInWindowReplayEqualsTheTailOfAllMessages() {
        Random random = new Random(11);
        RetentionOptions retention = new RetentionOptions(37, 400);
        AccountLog<Long> log = new AccountLog<>(retention, 0);
        List<Long> all = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        long now = 0;
        for (long seq = 1; seq <= 3_000; seq++) {
            now += random.nextInt(30);
            log.append(seq, seq, now);
            all.add(seq);
            times.add(now);
            long from = random.nextInt((int) seq + 2) - 1;
            Replay<Long> replay = log.since(from, now);
            boolean expectedInWindow = from >= 0 && from <= seq
                    && (from == seq || (seq - from <= retention.maxMessages()
                    && now - times.get((int) from) <= retention.maxAgeMs()));
            assertEquals(expectedInWindow, replay.inWindow(), "resume from " + from + " at head " + seq);
            if (replay.inWindow()) {
                assertEquals(all.subList((int) from, (int) seq), replay.messages());
            }
        }
        assertTrue(log.retained(now) <= retention.maxMessages());
    }
}
