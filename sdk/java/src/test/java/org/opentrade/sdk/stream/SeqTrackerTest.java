package org.opentrade.sdk.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.sdk.stream.SeqTracker.Verdict;

class SeqTrackerTest {
    @Test
    void deliversNextDropsDuplicatesAndReportsGaps() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("orders", 10L), "e1");
        assertEquals(Verdict.DELIVER, t.onData("orders", 11, false));
        assertEquals(Verdict.DUPLICATE, t.onData("orders", 11, false));
        assertEquals(Verdict.DUPLICATE, t.onData("orders", 3, false));
        assertEquals(Verdict.GAP, t.onData("orders", 13, false));
        assertEquals(Map.of("orders", 11L), t.resumePoints(), "a gap does not move the resume point");
        assertEquals("e1", t.epoch());
    }

    @Test
    void snapshotsAreAlwaysDeliveredAndResetTheChannel() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("orders", 50L), "e1");
        assertEquals(Verdict.DELIVER, t.onData("orders", 50, true));
        assertEquals(Verdict.DELIVER, t.onData("orders", 50, true), "every frame of a snapshot");
        assertEquals(Verdict.DELIVER, t.onData("orders", 51, false));
        // After a restart the market stream counts from 1 again: its flagged snapshot resets the channel.
        assertEquals(Verdict.DELIVER, t.onData("orders", 4, true));
        assertEquals(Verdict.DELIVER, t.onData("orders", 5, false));
    }

    @Test
    void aResubscribeKeepsTheResumePoint() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("trades:600000.SH", 7L), "e1");
        t.onData("trades:600000.SH", 8, false);
        t.onSubscribed(Map.of("trades:600000.SH", 20L), "e1");
        assertEquals(Verdict.DELIVER, t.onData("trades:600000.SH", 9, false), "the resumed frames follow");
    }

    @Test
    void aHeartbeatShowsAGapOnlyWhenTheHeadItReportedIsStillUnreachedAtTheNext() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("orders", 1L), "e1");
        assertFalse(t.heartbeatShowsGap(Map.of("orders", 3L)), "frames 2 and 3 may be behind the heartbeat");
        t.onData("orders", 2, false);
        t.onData("orders", 3, false);
        assertFalse(t.heartbeatShowsGap(Map.of("orders", 4L)));
        assertTrue(t.heartbeatShowsGap(Map.of("orders", 4L)), "4 announced a beat ago and still missing");
        t.onReconnect();
        assertFalse(t.heartbeatShowsGap(Map.of("orders", 9L)), "a new connection starts afresh");
    }

    @Test
    void aChannelWithStateHasNoResumePointUntilItsSnapshotArrives() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("depth:600000.SH", 10L, "trades:600000.SH", 5L), "e1");
        assertEquals(Map.of("e1", Map.of("trades:600000.SH", 5L)), t.resumeByEpoch(),
                "lost now, depth subscribes afresh (its snapshot again), trades resume from the head");
        assertEquals(Verdict.DELIVER, t.onData("depth:600000.SH", 10, true));
        assertEquals(Map.of("e1", Map.of("trades:600000.SH", 5L, "depth:600000.SH", 10L)), t.resumeByEpoch());
    }

    @Test
    void aResumePointKeepsTheEpochOfItsSeqUntilTheChannelsFirstFrameOfTheNewServer() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("depth:600000.SH", 10L), "eA");
        t.onData("depth:600000.SH", 10, true);
        t.onData("depth:600000.SH", 11, false);
        t.onReconnect();
        t.onSubscribed(Map.of("depth:600000.SH", 40L), "eB"); // instance B; lost before its flagged snapshot
        assertEquals(Map.of("eA", Map.of("depth:600000.SH", 11L)), t.resumeByEpoch(),
                "11 is A's: resumed with B's epoch, B would replay its own 12, 13, ... as if they followed");
        assertEquals(Verdict.DELIVER, t.onData("depth:600000.SH", 40, true));
        assertEquals(Map.of("eB", Map.of("depth:600000.SH", 40L)), t.resumeByEpoch());
    }

    @Test
    void theOrderStreamHasNoResumePointUntilItsSnapshotsLastFrame() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("orders", 30L), "e1");
        assertEquals(Map.of(), t.resumeByEpoch(), "lost before the snapshot: subscribed afresh, not resumed at 30");
        assertEquals(Verdict.DELIVER, t.onData("orders", 30, true, 2));
        assertEquals(Verdict.DELIVER, t.onData("orders", 30, true, -1));
        assertEquals(Map.of(), t.resumeByEpoch(), "one open order of two seen: no resume point");
        assertEquals(Verdict.DELIVER, t.onData("orders", 30, true, -1));
        assertEquals(Map.of("e1", Map.of("orders", 30L)), t.resumeByEpoch());
        assertEquals(Verdict.DELIVER, t.onData("orders", 31, false));
        assertEquals(Verdict.DELIVER, t.onData("orders", 31, true, 0), "an empty snapshot is complete at once");
        assertEquals(Map.of("e1", Map.of("orders", 31L)), t.resumeByEpoch());
    }

    @Test
    void aFlaggedSnapshotLostHalfwayDropsTheOldResumePoint() {
        SeqTracker t = new SeqTracker();
        t.onSubscribed(Map.of("orders", 5L), "e1");
        t.onData("orders", 5, true, 0);
        t.onData("orders", 6, false);
        t.onReconnect();
        t.onSubscribed(Map.of("orders", 90L), "e2"); // 6 is no longer kept: a flagged snapshot of three follows
        assertEquals(Verdict.DELIVER, t.onData("orders", 90, true, 3));
        assertEquals(Verdict.DELIVER, t.onData("orders", 90, true, -1));
        t.onReconnect();
        assertEquals(Map.of(), t.resumeByEpoch(), "resumed at 6 or 90 the client would keep a partial set");
        t.onSubscribed(Map.of("orders", 91L), "e2");
        assertEquals(Verdict.DELIVER, t.onData("orders", 91, true, 1));
        assertEquals(Verdict.GAP, t.onData("orders", 92, false), "an update inside a snapshot: cut short");
        assertEquals(Map.of(), t.resumeByEpoch());
    }
}
