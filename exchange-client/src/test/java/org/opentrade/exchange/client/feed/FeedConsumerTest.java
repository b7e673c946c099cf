package org.opentrade.exchange.client.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.ShardSnapshot;

class FeedConsumerTest {
    private final FakeExchange exchange = new FakeExchange(1);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingHandler handler = new RecordingHandler();
    private FeedConsumerOptions options = FeedConsumerOptions.defaults().withReplayPageSize(100);
    private FeedConsumer consumer;

    private void start() {
        consumer = new FeedConsumer(exchange, scheduler, handler, options);
        consumer.start();
        scheduler.runReady();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private ShardStats stats() {
        return consumer.stats(0);
    }

    private void assertDeliveredOnceInOrder(long from, long to) {
        assertEquals(List.of(), handler.violations);
        assertEquals(range(from, to), handler.seqs(0));
    }

    private long replays() {
        return exchange.requests.stream().filter(r -> r.startsWith("replay")).count();
    }

    @Test
    void freshStartCatchesUpAcrossManyPagesThenFollowsLive() {
        exchange.append(0, 2500);
        start();
        assertDeliveredOnceInOrder(1, 2500);
        assertEquals(25, replays());
        assertEquals(ShardState.LIVE, stats().state());
        assertEquals(List.of("live 0 at 2500"), handler.calls);

        exchange.appendAndPublish(0, 3);
        exchange.appendAndPublish(0, 2);
        assertDeliveredOnceInOrder(1, 2505);
        assertEquals(25, replays(), "live batches need no replay");
        assertEquals(2505, stats().delivered());
        assertEquals(0, stats().lag());
    }

    @Test
    void emptyExchangeGoesLiveAtOnce() {
        start();
        assertEquals(ShardState.LIVE, stats().state());
        exchange.appendAndPublish(0, 4);
        assertDeliveredOnceInOrder(1, 4);
    }

    @Test
    void liveBatchesArrivingDuringResumeJoinAtTheSeamWithoutGapOrDuplicate() {
        exchange.append(0, 250);
        exchange.holdReplies = true;
        start();
        exchange.releaseOne(); // info
        assertEquals(1, exchange.heldReplies(), "first page asked for");
        // the replay answer for 1..100 is made now; the exchange moves on before it arrives
        exchange.appendAndPublish(0, 10); // 251..260, buffered
        exchange.releaseOne(); // 1..100
        exchange.appendAndPublish(0, 10); // 261..270, buffered
        exchange.releaseOne(); // 101..200
        exchange.releaseOne(); // 201..270: overlaps the buffer
        exchange.appendAndPublish(0, 5); // 271..275, buffered or live
        exchange.releaseAll();
        exchange.appendAndPublish(0, 5);
        assertDeliveredOnceInOrder(1, 280);
        assertEquals(ShardState.LIVE, stats().state());
        assertEquals(0, stats().gaps());
    }

    @Test
    void liveBatchThatClosesTheHoleIsDeliveredWhileTheReplayIsStillOnItsWay() {
        exchange.append(0, 10);
        exchange.holdReplies = true;
        start();
        exchange.releaseAll(); // info, then the first page is held
        exchange.releaseAll();
        assertDeliveredOnceInOrder(1, 10);
        FeedBatch lost = exchange.append(0, 5);
        exchange.appendAndPublish(0, 5); // gap: 16..20 buffered, replay asked
        assertEquals(1, exchange.heldReplies());
        exchange.publish(lost); // the "lost" batch was only late
        assertDeliveredOnceInOrder(1, 20);
        exchange.releaseAll();
        assertEquals(ShardState.LIVE, stats().state());
        assertDeliveredOnceInOrder(1, 20);
    }

    @Test
    void gapInLiveIsRepairedByReplay() {
        start();
        exchange.appendAndPublish(0, 10);
        exchange.append(0, 10); // 11..20 never published
        exchange.appendAndPublish(0, 10);
        scheduler.runReady();
        assertDeliveredOnceInOrder(1, 30);
        assertEquals(1, stats().gaps());
        assertEquals(2, stats().resumes());
        assertEquals(ShardState.LIVE, stats().state());
    }

    @Test
    void duplicatedAndReorderedLiveBatchesAreDeliveredExactlyOnceInOrder() {
        start();
        FeedBatch b1 = exchange.append(0, 5);
        FeedBatch b2 = exchange.append(0, 5);
        FeedBatch b3 = exchange.append(0, 5);
        exchange.publish(b1);
        exchange.publish(b1);
        exchange.publish(b3);
        exchange.publish(b2);
        exchange.publish(b3);
        exchange.publish(b2);
        scheduler.runReady();
        exchange.publish(exchange.batch(0, 8, 15));
        exchange.append(0, 2);
        exchange.publish(exchange.batch(0, 12, 17)); // partial overlap: only 16, 17 are new
        scheduler.runReady();
        assertDeliveredOnceInOrder(1, 17);
        assertTrue(stats().duplicates() >= 5 + 8 + 4, "duplicates counted: " + stats());
    }

    @Test
    void lostTailIsDetectedByAHeartbeat() {
        start();
        exchange.appendAndPublish(0, 10);
        exchange.publish(exchange.heartbeat(0));
        assertEquals(1, replays(), "a heartbeat at the delivered head needs nothing");
        exchange.append(0, 5); // published, but lost
        exchange.publish(exchange.heartbeat(0));
        scheduler.runReady();
        assertDeliveredOnceInOrder(1, 15);
        assertEquals(1, stats().gaps());
        assertEquals(15, stats().head());
    }

    @Test
    void restartFromAHandlerPositionMidStreamResumesRightAfterIt() {
        exchange.append(0, 1000);
        handler.applied.put(0, 500L);
        start();
        assertEquals("replay 0 after 500", exchange.requests.get(1));
        assertEquals(range(501, 1000), handler.seqs(0));
        assertEquals(List.of(), handler.violations);
    }

    @Test
    void eventsNoLongerKeptWithSnapshotPolicyLoadTheShardSnapshotAtOneSeqThenContinue() {
        options = options.withTruncation(TruncationPolicy.SNAPSHOT);
        exchange.append(0, 100);
        exchange.prune(0, 60);
        exchange.shardSnapshots.put(0, new ShardSnapshot(0, 80, List.of(book("A", 80), book("B", 80))));
        handler.applied.put(0, 10L);
        start();
        assertEquals(List.of("snapshot 0 at 80 of 2", "live 0 at 100"), handler.calls);
        assertEquals(range(81, 100), handler.seqs(0));
        assertTrue(exchange.requests.contains("snapshot 0 orders true"));
        assertEquals(1, stats().snapshots());
        assertEquals(List.of(), handler.violations);
    }

    @Test
    void aShardWithoutSymbolsContinuesAfterItsEmptySnapshotsSequence() {
        // A shard whose only events named no instrument (rejections) and whose history was pruned: its snapshot
        // has no book, yet it says where the shard stands; the consumer used to retry it forever.
        options = options.withTruncation(TruncationPolicy.SNAPSHOT);
        exchange.append(0, 100);
        exchange.prune(0, 60);
        exchange.shardSnapshots.put(0, new ShardSnapshot(0, 80, List.of()));
        start();
        assertEquals(List.of("snapshot 0 at 80 of 0", "live 0 at 100"), handler.calls);
        assertEquals(range(81, 100), handler.seqs(0));
        assertEquals(ShardState.LIVE, stats().state());
        assertEquals(List.of(), handler.violations);
    }

    @Test
    void snapshotOfAnotherShardIsRetriedNotApplied() {
        options = options.withTruncation(TruncationPolicy.SNAPSHOT);
        exchange.append(0, 100);
        exchange.prune(0, 60);
        exchange.shardSnapshots.put(0, new ShardSnapshot(1, 80, List.of()));
        start();
        assertEquals(List.of(), handler.calls);
        assertTrue(stats().lastProblem().contains("of shard 1, expected shard 0"), stats().lastProblem());
    }

    @Test
    void snapshotThatMixesSequencesOrLacksOrdersIsRetriedNotApplied() {
        options = options.withTruncation(TruncationPolicy.SNAPSHOT);
        exchange.append(0, 100);
        exchange.prune(0, 60);
        exchange.shardSnapshots.put(0, new ShardSnapshot(0, 80, List.of(book("A", 80), book("B", 81))));
        start();
        assertEquals(List.of(), handler.calls);
        assertEquals(ShardState.SNAPSHOTTING, stats().state());
        assertTrue(stats().lastProblem().contains("mixes"), stats().lastProblem());
        BookSnapshot noOrders = new BookSnapshot(0, 80, "A", List.of(), List.of(), null, null, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0);
        exchange.shardSnapshots.put(0, new ShardSnapshot(0, 80, List.of(noOrders)));
        scheduler.advance(100);
        assertTrue(stats().lastProblem().contains("without the resting orders"), stats().lastProblem());
        exchange.shardSnapshots.put(0, new ShardSnapshot(0, 80, List.of(book("A", 80))));
        scheduler.advance(200);
        assertEquals(List.of("snapshot 0 at 80 of 1", "live 0 at 100"), handler.calls);
        assertEquals(range(81, 100), handler.seqs(0));
    }

    @Test
    void handlerWithoutOnSnapshotStopsTheShardInsteadOfSkipping() {
        options = options.withTruncation(TruncationPolicy.SNAPSHOT);
        exchange.append(0, 100);
        exchange.prune(0, 60);
        exchange.shardSnapshots.put(0, new ShardSnapshot(0, 80, List.of(book("A", 80))));
        List<Throwable> failures = new ArrayList<>();
        FeedHandler plain = new FeedHandler() {
            @Override
            public long position(int shard) {
                return 0;
            }

            @Override
            public void onEvent(ExchangeEvent event) {
                throw new AssertionError("nothing may be delivered");
            }

            @Override
            public void onFailure(int shard, long seq, Throwable cause) {
                failures.add(cause);
            }
        };
        consumer = new FeedConsumer(exchange, scheduler, plain, options);
        consumer.start();
        scheduler.runReady();
        assertEquals(ShardState.FAILED, consumer.stats(0).state());
        assertTrue(failures.get(0) instanceof UnsupportedOperationException);
    }

    @Test
    void eventsNoLongerKeptWithAlarmPolicyStopTheShardAndSkipNothing() {
        exchange.append(0, 100);
        exchange.prune(0, 60);
        handler.applied.put(0, 10L);
        start();
        assertEquals(List.of("truncated 0 at 10 first kept 60"), handler.calls);
        assertEquals(ShardState.TRUNCATED, stats().state());
        assertEquals(List.of(), handler.seqs(0));
        assertEquals(0, exchange.subscriberCount(0), "a stopped shard stops listening");
        scheduler.advance(60_000);
        assertEquals(1, replays(), "and does not retry on its own");

        // an operator rebuilt the account state up to 70 and restarts the shard
        handler.applied.put(0, 70L);
        consumer.restart(0);
        scheduler.runReady();
        assertEquals(range(71, 100), handler.seqs(0));
        assertEquals(ShardState.LIVE, stats().state());
    }

    @Test
    void transportFailuresAreRetriedWithBackoffAndSkipNothing() {
        exchange.append(0, 50);
        exchange.infoFailures.add(new TimeoutException("no reply"));
        exchange.replayScript.add(new TimeoutException("no reply"));
        exchange.replayScript.add(new IllegalStateException("no handlers"));
        exchange.replayScript.add(new TimeoutException("no reply"));
        start();
        assertEquals(List.of("info"), exchange.requests);
        scheduler.advance(100);
        assertEquals(1, replays());
        scheduler.advance(99);
        assertEquals(1, replays());
        scheduler.advance(1);
        assertEquals(2, replays());
        scheduler.advance(200);
        assertEquals(3, replays());
        assertEquals(List.of(), handler.seqs(0));
        scheduler.advance(400);
        assertDeliveredOnceInOrder(1, 50);
        assertEquals(3, stats().retries());
        assertEquals(ShardState.LIVE, stats().state());
    }

    @Test
    void backoffIsCappedAtTheMaximum() {
        options = options.withRetry(100, 300);
        exchange.down = true;
        exchange.append(0, 5);
        start();
        scheduler.advance(100); // info retried, still down
        long before = exchange.requests.size();
        scheduler.advance(10 * 300);
        assertTrue(exchange.requests.size() - before >= 9, "capped at 300 ms: " + exchange.requests);
        exchange.down = false;
        scheduler.advance(300);
        scheduler.advance(300);
        assertDeliveredOnceInOrder(1, 5);
    }

    @Test
    void malformedOrRefusedRepliesNeverKillTheConsumer() {
        exchange.append(0, 30);
        exchange.replayScript.add(FeedBatch.refused(0, ResultCode.BAD_FEED_REQUEST, "max_events", 30, 1));
        exchange.replayScript.add(FeedBatch.of(1, 30, 1, List.of())); // wrong shard
        exchange.replayScript.add(exchange.batch(0, 5, 10)); // skips 1..4
        exchange.replayScript.add(FeedBatch.of(0, 30, 1, List.of(FakeExchange.event(0, 1), FakeExchange.event(0, 3))));
        exchange.replayScript.add(new IllegalArgumentException("feed batch: head_seq must be an integer"));
        start();
        for (int i = 0; i < 6; i++) {
            scheduler.advance(5000);
        }
        assertDeliveredOnceInOrder(1, 30);
        assertEquals(5, stats().retries());
        assertEquals(ShardState.LIVE, stats().state());

        exchange.publish(FeedBatch.of(0, 32, 1, List.of(FakeExchange.event(0, 31), FakeExchange.event(0, 33))));
        exchange.publish(FeedBatch.refused(0, ResultCode.ENGINE_UNAVAILABLE, "x", 30, 1));
        assertEquals(2, stats().malformed());
        exchange.appendAndPublish(0, 3);
        scheduler.runReady();
        assertDeliveredOnceInOrder(1, 33);
    }

    @Test
    void bufferOverflowWhileResumingStillDeliversExactlyOnce() {
        options = options.withMaxBufferedEvents(20).withReplayPageSize(50);
        exchange.append(0, 100);
        exchange.holdReplies = true;
        start();
        exchange.releaseOne(); // info
        for (int i = 0; i < 20; i++) {
            exchange.appendAndPublish(0, 10);
            if (i % 3 == 0) {
                exchange.releaseOne();
            }
        }
        while (exchange.heldReplies() > 0) {
            exchange.releaseAll();
            scheduler.advance(1000);
        }
        exchange.appendAndPublish(0, 10);
        assertDeliveredOnceInOrder(1, 310);
        assertTrue(stats().bufferOverflows() > 0, stats().toString());
        assertEquals(ShardState.LIVE, stats().state());
    }

    @Test
    void handlerThatThrowsStopsTheShardWithoutSkippingTheEvent() {
        exchange.append(0, 10);
        handler.failAt = 5;
        start();
        assertEquals(List.of("failure 0 at 5: database down at 5"), handler.calls);
        assertEquals(ShardState.FAILED, stats().state());
        assertEquals(4, stats().delivered());
        exchange.appendAndPublish(0, 5);
        scheduler.advance(60_000);
        assertEquals(range(1, 4), handler.seqs(0), "a failed shard delivers nothing more");

        consumer.restart(0);
        scheduler.runReady();
        assertDeliveredOnceInOrder(1, 15);
        assertEquals(ShardState.LIVE, stats().state());
    }

    @Test
    void handlerThatThrowsOnALiveEventStopsAtThatEvent() {
        start();
        exchange.appendAndPublish(0, 3);
        handler.failAt = 5;
        exchange.appendAndPublish(0, 4);
        assertEquals(4, stats().delivered());
        assertEquals(ShardState.FAILED, stats().state());
        consumer.restart(0);
        scheduler.runReady();
        assertDeliveredOnceInOrder(1, 7);
    }

    @Test
    void durableConsumerCheckpointsOnlyWhenItAdvanced() {
        options = options.withConsumerName("market-api");
        start();
        exchange.appendAndPublish(0, 10);
        scheduler.advance(1000);
        assertEquals(List.of("market-api 0 10"), exchange.checkpoints);
        assertEquals(10, stats().checkpointed());
        scheduler.advance(1000);
        assertEquals(List.of("market-api 0 10"), exchange.checkpoints, "not advanced: nothing sent");
        exchange.appendAndPublish(0, 5);
        scheduler.advance(1000);
        assertEquals(List.of("market-api 0 10", "market-api 0 15"), exchange.checkpoints);
    }

    @Test
    void checkpointReportsWhatTheHandlerPersistedNotMore() {
        options = options.withConsumerName("trade-api");
        handler.persistedLag = 4;
        start();
        exchange.appendAndPublish(0, 10);
        scheduler.advance(1000);
        assertEquals(List.of("trade-api 0 6"), exchange.checkpoints);
    }

    @Test
    void failedCheckpointIsSentAgainAtTheNextInterval() {
        options = options.withConsumerName("market-api");
        start();
        exchange.appendAndPublish(0, 10);
        exchange.down = true;
        scheduler.advance(1000);
        exchange.down = false;
        scheduler.advance(1000);
        assertEquals(List.of("market-api 0 10", "market-api 0 10"), exchange.checkpoints);
        assertEquals(10, stats().checkpointed());
    }

    @Test
    void stopSendsALastCheckpointAndEndsEverything() {
        options = options.withConsumerName("market-api");
        start();
        exchange.appendAndPublish(0, 10);
        consumer.stop();
        scheduler.runReady();
        assertEquals(List.of("market-api 0 10"), exchange.checkpoints);
        assertEquals(ShardState.STOPPED, stats().state());
        assertEquals(0, exchange.subscriberCount(0));
        assertEquals(0, scheduler.pendingTimers());
    }

    @Test
    void nonDurableConsumerSendsNoCheckpoints() {
        start();
        exchange.appendAndPublish(0, 10);
        scheduler.advance(10_000);
        assertEquals(List.of(), exchange.checkpoints);
    }

    @Test
    void onlyTheChosenShardsAreFollowedAndAnUnknownOneIsReported() {
        FakeExchange two = new FakeExchange(2);
        two.append(0, 5);
        two.append(1, 7);
        consumer = new FeedConsumer(two, scheduler, handler, options.withShards(1, 4));
        consumer.start();
        scheduler.runReady();
        assertEquals(List.of(), handler.seqs(0));
        assertEquals(range(1, 7), handler.seqs(1));
        assertNull(consumer.stats(0));
        assertEquals(ShardState.FAILED, consumer.stats(4).state());
        assertTrue(handler.calls.contains("failure 4 at 0: shard 4 does not exist: the exchange has 2 shards (0..1)"),
                handler.calls.toString());
    }

    @Test
    void exchangeBehindTheConsumerWithAlarmPolicyStopsTheShardAndNeverAppliesTheOtherHistory() {
        exchange.append(0, 20); // a reset exchange: its 20 events are not the 50 this consumer applied
        handler.applied.put(0, 50L);
        start();
        assertEquals(ShardState.DIVERGED, stats().state());
        assertEquals(List.of("diverged 0 at 50 head 20"), handler.calls);
        assertTrue(stats().lastProblem().contains("histories differ"), stats().lastProblem());
        assertEquals(0, exchange.subscriberCount(0), "a stopped shard stops listening");

        // The exchange numbers on past the consumer's position: events 21..55 of another history.
        exchange.appendAndPublish(0, 35);
        scheduler.advance(60_000);
        assertEquals(List.of(), handler.seqs(0), "nothing of the other history is applied");
        assertEquals(1, replays(), "and the shard does not retry on its own");
        assertEquals(ShardState.DIVERGED, stats().state());
    }

    @Test
    void theShardsRefusalOfAReplayBeyondItsHeadIsADivergenceToo() {
        // A fresh exchange: the shard refuses, reporting head 0 and first kept seq 1.
        exchange.replayScript.add(FeedBatch.refused(0, ResultCode.BAD_FEED_REQUEST,
                "after_seq 50 is beyond the shard's last event 0", 0, 1));
        handler.applied.put(0, 50L);
        start();
        assertEquals(ShardState.DIVERGED, stats().state());
        assertEquals(List.of("diverged 0 at 50 head 0"), handler.calls);
    }

    @Test
    void aRefusalThatDoesNotComeFromTheShardIsRetried() {
        exchange.append(0, 60);
        exchange.replayScript.add(FeedBatch.refused(0, ResultCode.BAD_FEED_REQUEST, "unreadable request", 0, 0));
        handler.applied.put(0, 50L);
        start();
        scheduler.advance(5_000);
        assertEquals(range(51, 60), handler.seqs(0));
        assertEquals(ShardState.LIVE, stats().state());
    }

    @Test
    void exchangeBehindTheConsumerWithSnapshotPolicyIsNotFollowedUntilItCatchesUp() {
        options = options.withTruncation(TruncationPolicy.SNAPSHOT);
        exchange.append(0, 20);
        handler.applied.put(0, 50L);
        start();
        assertEquals(ShardState.RESUMING, stats().state());
        assertTrue(stats().lastProblem().contains("behind"), stats().lastProblem());
        exchange.appendAndPublish(0, 30); // 21..50: not new to this consumer
        exchange.append(0, 5);
        scheduler.advance(5000);
        assertEquals(range(51, 55), handler.seqs(0));
        assertEquals(ShardState.LIVE, stats().state());
    }

    @Test
    void negativePositionIsAHandlerFailure() {
        handler.forcedPosition = -1;
        FeedHandler bad = new FeedHandler() {
            @Override
            public long position(int shard) {
                return -3;
            }

            @Override
            public void onEvent(ExchangeEvent event) {
            }
        };
        consumer = new FeedConsumer(exchange, scheduler, bad, options);
        consumer.start();
        scheduler.runReady();
        assertEquals(ShardState.FAILED, consumer.stats(0).state());
    }

    @Test
    void oldRepliesAfterARestartAreIgnored() {
        exchange.append(0, 10);
        exchange.holdReplies = true;
        start();
        exchange.releaseOne(); // info; first replay held
        handler.applied.put(0, 0L);
        consumer.restart(0);
        scheduler.runReady();
        assertEquals(2, exchange.heldReplies(), "the old and the new replay");
        exchange.releaseAll();
        assertDeliveredOnceInOrder(1, 10);
    }

    private static BookSnapshot book(String symbol, long seq) {
        return new BookSnapshot(0, seq, symbol, List.of(), List.of(), List.of(), List.of(), 0, 1000, 0, 0, 0, 0, 0, 0,
                0, 0);
    }
}
