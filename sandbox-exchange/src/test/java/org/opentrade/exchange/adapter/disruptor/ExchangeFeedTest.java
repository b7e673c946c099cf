package org.opentrade.exchange.adapter.disruptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.file.FileCommandJournal;
import org.opentrade.exchange.adapter.file.FileConsumerCheckpoints;
import org.opentrade.exchange.adapter.file.FileEventLog;
import org.opentrade.exchange.adapter.file.FileSnapshotStore;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.FastOrderBook;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.feed.DurableConsumers;
import org.opentrade.exchange.domain.feed.EventRetention;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.ShardStorage;
import org.opentrade.exchange.testing.DelegatingBook;

/**
 * The feed at its source: every event is logged before it is published, published once per seq,
 * replayable after any sequence, and re-published after a crash that kept it from being published.
 */
class ExchangeFeedTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final String SYMBOL = "600000.SH";
    private static final InstrumentCatalog CATALOG = new InstrumentCatalog(List.of(
            Instrument.aShare(SYMBOL, "PF Bank", 1000)));
    private static final ContinuousCalendar CALENDAR = new ContinuousCalendar(ZoneOffset.UTC, LocalTime.of(12, 0));

    @TempDir
    Path dir;

    private ShardedExchangeOptions options() {
        return ShardedExchangeOptions.defaults(CATALOG, CALENDAR).withJournal(dir, FsyncPolicy.NONE);
    }

    /** Storage with small event-log segments, so retention has whole segments to delete. */
    private ShardStorage.Factory smallSegments() {
        return shard -> {
            Path d = dir.resolve("shard-" + shard);
            return new ShardStorage(FileCommandJournal.open(d.resolve("journal"), FsyncPolicy.NONE),
                    new FileSnapshotStore(d.resolve("snapshots")), FileEventLog.open(d.resolve("events"), shard, 4096),
                    new FileConsumerCheckpoints(d));
        };
    }

    private static CommandResult await(CompletionStage<CommandResult> f) {
        return f.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Command order(long id, long ts) {
        Side side = id % 2 == 0 ? Side.BUY : Side.SELL;
        return Command.limit(id, "u" + (id % 5), SYMBOL, side, TimeInForce.GTC, 1000 + (id % 7) - 3, 100, ts);
    }

    private static List<ExchangeEvent> run(ShardedExchange ex, int from, int to, long tsStep) {
        List<ExchangeEvent> all = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            all.addAll(await(ex.submit(order(i, T0 + i * tsStep))).events());
        }
        return all;
    }

    private static List<ExchangeEvent> replayAll(ShardedExchange ex, long after, int page) {
        List<ExchangeEvent> out = new ArrayList<>();
        long next = after;
        while (true) {
            FeedBatch b = ex.replay(0, next, page);
            assertEquals(ResultCode.OK, b.code(), b.message());
            if (b.events().isEmpty()) {
                return out;
            }
            out.addAll(b.events());
            next = b.lastSeq();
        }
    }

    @Test
    void everyPublishedEventIsInTheLogAndReplaysIdenticallyAcrossPages() {
        List<ExchangeEvent> published = Collections.synchronizedList(new ArrayList<>());
        try (ShardedExchange ex = ShardedExchange.start(options(), (shard, batch) -> published.addAll(batch))) {
            List<ExchangeEvent> answered = run(ex, 1, 500, 10);
            assertEquals(answered, published, "callers and the feed see the same events");
            assertEquals(published, replayAll(ex, 0, 37));
            assertEquals(published.subList(100, published.size()), replayAll(ex, 100, 1000));
            assertEquals(published.size(), ex.headSeq(0));
            assertTrue(ex.replay(0, ex.headSeq(0), 10).events().isEmpty(), "nothing after the head");
            FeedBatch beyond = ex.replay(0, ex.headSeq(0) + 1, 10);
            assertEquals(ResultCode.BAD_FEED_REQUEST, beyond.code());
        }
        for (int i = 0; i < published.size(); i++) {
            assertEquals(i + 1, published.get(i).seq());
            assertEquals(0, published.get(i).shard());
        }
    }

    @Test
    void commandsJournaledButNeverPublishedArePublishedAfterRecoveryBeforeAnyNewEvent() {
        // A reference run tells which events the commands cause.
        Path reference = dir.resolve("reference");
        List<ExchangeEvent> expected = new ArrayList<>();
        try (ShardedExchange ex = ShardedExchange.start(ShardedExchangeOptions.defaults(CATALOG, CALENDAR)
                .withJournal(reference, FsyncPolicy.NONE), (shard, batch) -> expected.addAll(batch))) {
            run(ex, 1, 60, 10);
        }
        // The crash: the same commands are durable in the journal, but the process died before it
        // logged or published a single event.
        Path shard0 = dir.resolve("live/shard-0");
        try (FileCommandJournal j = FileCommandJournal.open(shard0.resolve("journal"), FsyncPolicy.NONE)) {
            for (int i = 1; i <= 60; i++) {
                j.append(order(i, T0 + i * 10));
            }
            j.commit();
        }
        List<ExchangeEvent> published = Collections.synchronizedList(new ArrayList<>());
        try (ShardedExchange ex = ShardedExchange.start(ShardedExchangeOptions.defaults(CATALOG, CALENDAR)
                .withJournal(dir.resolve("live"), FsyncPolicy.NONE), (shard, batch) -> published.addAll(batch))) {
            assertEquals(expected, published, "recovered events published before the ring took a command");
            assertEquals(expected.size(), ex.republishedEvents());
            List<ExchangeEvent> next = run(ex, 61, 61, 10);
            assertEquals(expected.size() + 1, next.get(0).seq(), "new events continue the sequence");
            assertEquals(replayAll(ex, 0, 1000), published);
        }
    }

    @Test
    void aLostLogTailIsRecomputedWithTheSameSequencesAndPublishedOnce() throws IOException {
        List<ExchangeEvent> first = Collections.synchronizedList(new ArrayList<>());
        ShardedExchangeOptions opts = options().withSnapshotEvery(0).withSnapshotEveryMillis(0);
        try (ShardedExchange ex = ShardedExchange.start(opts, (shard, batch) -> first.addAll(batch))) {
            run(ex, 1, 200, 10);
        }
        // Cut the event log back to 40 events, as a crash after the journal commit would leave it.
        try (FileEventLog log = FileEventLog.open(dir.resolve("shard-0/events"), 0)) {
            log.truncateAfter(40);
        }
        // A clean close snapshots; remove those snapshots so recovery re-runs the whole journal.
        try (Stream<Path> s = Files.list(dir.resolve("shard-0/snapshots"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        List<ExchangeEvent> second = Collections.synchronizedList(new ArrayList<>());
        try (ShardedExchange ex = ShardedExchange.start(opts, (shard, batch) -> second.addAll(batch))) {
            assertEquals(first.subList(40, first.size()), second, "exactly the missing events, once, in order");
            assertEquals(first, replayAll(ex, 0, 64));
        }
    }

    @Test
    void historyOlderThanTheWindowIsForgottenAndAskingForItSaysStartFromASnapshot() {
        EventRetention oneHour = new EventRetention(3_600_000L, EventRetention.DEFAULT_MAX_LAG_EVENTS, 4);
        ShardedExchangeOptions opts = options().withStorage(smallSegments()).withRetention(oneHour);
        try (ShardedExchange ex = ShardedExchange.start(opts, EventPublisher.NONE)) {
            run(ex, 1, 600, 30_000); // one command every 30 s: five hours of events
            long first = ex.firstKeptSeq(0);
            assertTrue(first > 1, "old segments were deleted, first kept " + first);
            FeedBatch old = ex.replay(0, 0, 10);
            assertEquals(ResultCode.EVENTS_NOT_RETAINED, old.code());
            assertEquals(first, old.firstKeptSeq());
            FeedBatch kept = ex.replay(0, first - 1, 10);
            assertEquals(ResultCode.OK, kept.code());
            assertEquals(first, kept.firstSeq(), "no gap at the edge of what is kept");
            // Everything within the last hour is still there.
            List<ExchangeEvent> tail = replayAll(ex, first - 1, 500);
            assertTrue(tail.get(0).timestamp() <= T0 + 600 * 30_000L - 3_600_000L);
        }
    }

    @Test
    void aDurableConsumerHoldsHistoryUntilItCheckpointsPastIt() {
        EventRetention oneHour = new EventRetention(3_600_000L, EventRetention.DEFAULT_MAX_LAG_EVENTS, 4);
        ShardedExchangeOptions opts = options().withStorage(smallSegments()).withRetention(oneHour);
        try (ShardedExchange ex = ShardedExchange.start(opts, EventPublisher.NONE)) {
            run(ex, 1, 10, 30_000);
            assertEquals(DurableConsumers.Outcome.ACCEPTED, ex.checkpoint("market-api", 0, 5));
            run(ex, 11, 600, 30_000);
            assertEquals(1, ex.firstKeptSeq(0), "the consumer at 5 keeps everything after it");
            assertEquals(ResultCode.OK, ex.replay(0, 5, 10).code());
            assertEquals(DurableConsumers.Outcome.ACCEPTED, ex.checkpoint("market-api", 0, ex.headSeq(0)));
            run(ex, 601, 700, 30_000);
            assertTrue(ex.firstKeptSeq(0) > 5, "after its checkpoint the window rules again");
        }
        // Checkpoints survive a restart.
        try (ShardedExchange ex = ShardedExchange.start(opts, EventPublisher.NONE)) {
            assertTrue(ex.consumerCheckpoints().get(0).containsKey("market-api"));
        }
    }

    @Test
    void aConsumerFallingTooFarBehindIsDroppedFromTheInterestSet() {
        EventRetention tight = new EventRetention(0, 100, 4);
        ShardedExchangeOptions opts = options().withStorage(smallSegments()).withRetention(tight);
        try (ShardedExchange ex = ShardedExchange.start(opts, EventPublisher.NONE)) {
            run(ex, 1, 5, 30_000);
            assertEquals(DurableConsumers.Outcome.ACCEPTED, ex.checkpoint("slow", 0, 1));
            run(ex, 6, 400, 30_000);
            assertEquals(1, ex.droppedConsumers());
            assertTrue(ex.consumerCheckpoints().get(0).isEmpty());
            assertTrue(ex.firstKeptSeq(0) > 2, "its history is no longer held");
        }
    }

    @Test
    void checkpointsAreBoundedAndValidated() {
        EventRetention two = new EventRetention(0, 1_000, 2);
        try (ShardedExchange ex = ShardedExchange.start(options().withRetention(two), EventPublisher.NONE)) {
            run(ex, 1, 3, 10);
            assertEquals(DurableConsumers.Outcome.ACCEPTED, ex.checkpoint("a", 0, 1));
            assertEquals(DurableConsumers.Outcome.ACCEPTED, ex.checkpoint("b", 0, 1));
            assertEquals(DurableConsumers.Outcome.TOO_MANY, ex.checkpoint("c", 0, 1));
            assertEquals(DurableConsumers.Outcome.BAD_NAME, ex.checkpoint("no spaces", 0, 1));
            assertEquals(DurableConsumers.Outcome.BAD_SEQ, ex.checkpoint("a", 0, ex.headSeq(0) + 1));
            assertEquals(DurableConsumers.Outcome.BAD_SEQ, ex.checkpoint("a", 7, 1));
            assertTrue(ex.unregister("a"));
            assertEquals(DurableConsumers.Outcome.ACCEPTED, ex.checkpoint("c", 0, 1));
        }
    }

    @Test
    void aCommandThatMakesTheEngineThrowIsHandledTheSameLiveAndInRecovery() {
        long poison = 13;
        ShardedExchangeOptions opts = options().withSnapshotEvery(0).withSnapshotEveryMillis(0)
                .withBookFactory((symbol, index) -> new PoisonedBook(symbol, index, poison));
        List<ExchangeEvent> live = Collections.synchronizedList(new ArrayList<>());
        ShardedExchange first = ShardedExchange.start(opts, (shard, batch) -> live.addAll(batch));
        List<ExchangeEvent> answered = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            CommandResult r = await(first.submit(order(i, T0 + i)));
            if (i == poison) {
                assertEquals(ResultCode.ENGINE_UNAVAILABLE, r.code());
            }
            answered.addAll(r.code() == ResultCode.ENGINE_UNAVAILABLE ? List.of() : r.events());
        }
        assertEquals(1, first.engineFailures());
        long head = first.headSeq(0);
        // No clean close (no snapshot): recovery re-runs every command, the poisoned one included.
        List<ExchangeEvent> second = Collections.synchronizedList(new ArrayList<>());
        try (ShardedExchange again = ShardedExchange.start(opts, (shard, batch) -> second.addAll(batch))) {
            assertTrue(again.isReady(), "the shard starts again");
            assertEquals(1, again.engineFailures(), "the same command failed the same way in recovery");
            assertEquals(head, again.headSeq(0), "and yielded the same events");
            assertTrue(second.isEmpty(), "all of them were logged and published already");
            assertEquals(live, replayAll(again, 0, 100));
            assertNotEquals(0, run(again, 31, 31, 1).size());
        }
        first.close();
    }

    /** Throws when one given order id reaches the book, after the engine has accepted it. */
    private static final class PoisonedBook extends DelegatingBook {
        private final long poison;

        PoisonedBook(String symbol, org.opentrade.exchange.domain.OrderIndex index, long poison) {
            super(new FastOrderBook(symbol, index));
            this.poison = poison;
        }

        @Override
        public boolean match(org.opentrade.exchange.domain.Order taker, boolean preventSelfTrade,
                             org.opentrade.exchange.domain.ExchangeListener listener) {
            if (taker.id() == poison) {
                throw new IllegalStateException("poisoned order " + poison);
            }
            return super.match(taker, preventSelfTrade, listener);
        }
    }
}
