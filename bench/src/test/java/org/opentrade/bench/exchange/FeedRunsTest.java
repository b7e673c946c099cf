package org.opentrade.bench.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed harness end to end on a tiny stream (one book of 20 orders, one batch of commands): a
 * real exchange, event bus and consumer, a few seconds in all.
 */
class FeedRunsTest {
    private static MixedStream stream;
    private static EngineEventRate.Rate engine;

    @BeforeAll
    static void generate() {
        stream = MixedStreamGenerator.generate(EngineMode.RULES,
                new StreamSpec(StreamSpec.DEFAULT_SEED, 1, 20, StreamSpec.BATCH, 1_000));
        engine = new EngineEventRate(stream).measure(1, 0, "test");
    }

    @Test
    void liveRunSeesEveryEventOfTheStreamOnceAndEndsInTheGeneratorsState() {
        try (FeedRig rig = FeedRig.start(stream, false)) {
            FeedRuns.Live run = FeedRuns.live(rig, stream, StreamSpec.BATCH, engine.events(), 0, "test");
            assertEquals(engine.events(), run.events());
            assertEquals(0, run.stats().gaps());
            assertTrue(run.consumerEventsPerSecond() > 0);
            assertEquals(stream.endHash(), rig.closeAndHash());
        }
    }

    @Test
    void pacedRunTakesAtLeastTheScheduledTime() {
        long rate = 200_000;
        try (FeedRig rig = FeedRig.start(stream, false)) {
            FeedRuns.Live run = FeedRuns.live(rig, stream, StreamSpec.BATCH, engine.events(), rate, "test, paced");
            assertTrue(run.driver().commandsPerSecond() <= rate * 1.01, "paced at " + rate + ", ran at "
                    + run.driver().commandsPerSecond());
        }
    }

    @Test
    void catchUpAndRawReplayReadTheWholeLogFromTheStart() {
        try (FeedRig rig = FeedRig.start(stream, true)) {
            FeedRuns.live(rig, stream, StreamSpec.BATCH, engine.events(), 0, "test");
            long head = rig.exchange().headSeq(0);
            FeedRuns.CatchUp c = FeedRuns.catchUp(rig, 1_000, "test");
            assertEquals(head, c.events());
            assertTrue(FeedRuns.rawReplay(rig, 1_000, "test") > 0);
            assertEquals(stream.endHash(), rig.closeAndHash());
        }
    }
}
