package org.opentrade.exchange.adapter.disruptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.ReplicaSink;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * A leading exchange and a standby started from its image, in one JVM with the replication link a
 * direct call: the standby ends in the leader's exact state with the leader's exact events, takes the
 * lead without a gap in the event seqs, and a deposed leader runs nothing more.
 */
class ShardReplicationTest {
    private static final long T0 = ShardedExchangeTest.T0;
    private static final String[] SYMBOLS = {"600000.SH", "000001.SZ", "300750.SZ", "688981.SH"};
    private static final InstrumentCatalog CATALOG = ShardedExchangeTest.CATALOG;
    private static final ContinuousCalendar CALENDAR = ShardedExchangeTest.CALENDAR;
    private static final int SHARDS = 2;

    @TempDir
    Path leaderDir;
    @TempDir
    Path standbyDir;

    private static ShardedExchangeOptions options(Path dir) {
        return ShardedExchangeOptions.defaults(CATALOG, CALENDAR).withJournal(dir, FsyncPolicy.NONE).withShards(SHARDS);
    }

    private static CommandResult await(CompletionStage<CommandResult> f) {
        return f.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The replication link as a direct call: each command to the standby, waiting for all. */
    private static final class DirectLink implements ReplicaSink {
        final AtomicReference<ShardedExchange> standby = new AtomicReference<>();
        final boolean[] attached = new boolean[SHARDS];
        volatile boolean deposed;

        @Override
        public void replicate(int shard, long firstSeq, List<Command> commands) {
            if (deposed) {
                throw new FencedException("shard " + shard + " is led elsewhere");
            }
            ShardedExchange s = standby.get();
            if (s == null || !attached[shard]) {
                return; // no standby in sync: the leader runs alone
            }
            List<CompletableFuture<CommandResult>> acks = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                acks.add(s.submitReplicated(shard, firstSeq + i, commands.get(i)).toCompletableFuture());
            }
            for (CompletableFuture<CommandResult> a : acks) {
                ResultCode code = a.orTimeout(10, TimeUnit.SECONDS).join().code();
                if (code == ResultCode.ENGINE_UNAVAILABLE || code == ResultCode.JOURNAL_FAILURE) {
                    throw new FencedException("the standby refused seq: " + code);
                }
            }
        }
    }

    /** Random limit orders, market orders and cancels over every symbol, with rising timestamps. */
    private static void trade(ShardedExchange ex, Random rnd, long firstId, int n) {
        List<CompletionStage<CommandResult>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = firstId + i;
            String symbol = SYMBOLS[rnd.nextInt(SYMBOLS.length)];
            long ref = CATALOG.get(symbol).prevClose();
            long price = ref - 20 + rnd.nextInt(41);
            Command c = rnd.nextInt(10) == 0 && id > firstId + 5
                    ? Command.cancel(id - 1 - rnd.nextInt(5), symbol, T0 + id)
                    : Command.limit(id, "acct-" + rnd.nextInt(7), symbol, rnd.nextBoolean() ? Side.BUY : Side.SELL,
                            TimeInForce.GTC, price, 100L * (1 + rnd.nextInt(5)), T0 + id);
            all.add(ex.submit(c));
        }
        all.forEach(ShardReplicationTest::await);
    }

    private static List<ExchangeEvent> ofShard(List<ExchangeEvent> events, int shard, long afterSeq) {
        return events.stream().filter(e -> e.shard() == shard && e.seq() > afterSeq).toList();
    }

    @Test
    void aStandbyStartedFromTheLeadersImageFollowsToTheSameStateAndTheSameEventsAndTakesTheLeadWithoutAGap() {
        Random rnd = new Random(42);
        DirectLink link = new DirectLink();
        List<ExchangeEvent> leaderEvents = Collections.synchronizedList(new ArrayList<>());
        List<ExchangeEvent> standbyEvents = Collections.synchronizedList(new ArrayList<>());
        ShardedExchange leader = ShardedExchange.start(options(leaderDir), (shard, b) -> leaderEvents.addAll(b),
                null, link, false);
        ShardedExchange standby = null;
        try {
            trade(leader, rnd, 1, 600); // history from before the standby existed
            long[] imageEventSeq = new long[SHARDS];
            for (int shard = 0; shard < SHARDS; shard++) {
                int s = shard;
                SnapshotStore.Snapshot image = leader.image(shard, journalSeq -> link.attached[s] = true)
                        .toCompletableFuture().join();
                imageEventSeq[shard] = image.eventSeq();
                assertTrue(image.journalSeq() > 0);
                ShardedExchange.install(options(standbyDir), shard, image);
            }
            // Until the standby runs, batches stay with the leader's link: nothing flows in this test meanwhile.
            standby = ShardedExchange.start(options(standbyDir), (shard, b) -> standbyEvents.addAll(b), null, null,
                    true);
            link.standby.set(standby);
            assertEquals(ResultCode.ENGINE_UNAVAILABLE,
                    await(standby.submit(Command.limit(9_999, "x", "600000.SH", Side.BUY, TimeInForce.GTC, 1000, 100,
                            T0))).code(), "a standby takes no command of its own callers");

            trade(leader, rnd, 1_000, 2_000);
            for (int shard = 0; shard < SHARDS; shard++) {
                List<ExchangeEvent> expected = ofShard(leaderEvents, shard, imageEventSeq[shard]);
                assertFalse(expected.isEmpty());
                assertEquals(expected, ofShard(standbyEvents, shard, imageEventSeq[shard]),
                        "shard " + shard + ": the standby computed the leader's events");
                assertEquals(leader.headSeq(shard), standby.headSeq(shard));
            }

            // The leader dies; the standby takes the lead and numbers on from the leader's last event.
            long[] head = new long[SHARDS];
            for (int shard = 0; shard < SHARDS; shard++) {
                head[shard] = leader.headSeq(shard);
            }
            leader.close();
            for (int shard = 0; shard < SHARDS; shard++) {
                assertEquals(head[shard], standby.promote(shard).toCompletableFuture().join());
                assertFalse(standby.following(shard));
                assertEquals(ResultCode.ENGINE_UNAVAILABLE, await(standby.submitReplicated(shard,
                        head[shard] + 1, Command.tick(T0 + 10_000))).code(), "a leader takes no replicated command");
            }
            standbyEvents.clear();
            CommandResult r = await(standby.submit(Command.limit(50_000, "zed", "600000.SH", Side.BUY,
                    TimeInForce.GTC, 1000, 100, T0 + 50_000)));
            assertEquals(ResultCode.OK, r.code());
            int shard = ShardedExchange.shardOf("600000.SH", SHARDS);
            assertEquals(head[shard] + 1, r.events().get(0).seq(), "the new leader continues the event seqs");
            assertEquals(r.events(), standbyEvents, "and publishes what it runs");

            // Same state: the leader as it died plus the one order, rebuilt from the leader's own data.
            standby.close();
            try (ShardedExchange again = ShardedExchange.start(options(leaderDir), EventPublisher.NONE)) {
                await(again.submit(Command.limit(50_000, "zed", "600000.SH", Side.BUY, TimeInForce.GTC, 1000, 100,
                        T0 + 50_000)));
                again.close();
                assertEquals(again.stateHashes(), standby.stateHashes());
            }
        } finally {
            leader.close();
            if (standby != null) {
                standby.close();
            }
        }
    }

    @Test
    void aDeposedLeaderRunsNothingOfTheBatchNorAfterIt() {
        DirectLink link = new DirectLink();
        List<ExchangeEvent> published = Collections.synchronizedList(new ArrayList<>());
        try (ShardedExchange leader = ShardedExchange.start(options(leaderDir), (s, b) -> published.addAll(b), null,
                link, false)) {
            assertEquals(ResultCode.OK, await(leader.submit(Command.limit(1, "a", "600000.SH", Side.BUY,
                    TimeInForce.GTC, 1000, 100, T0))).code());
            int before = published.size();
            link.deposed = true;
            CommandResult refused = await(leader.submit(Command.limit(2, "b", "600000.SH", Side.SELL,
                    TimeInForce.GTC, 1000, 100, T0 + 1)));
            assertEquals(ResultCode.ENGINE_UNAVAILABLE, refused.code());
            assertTrue(leader.anyFenced());
            link.deposed = false;
            assertEquals(ResultCode.ENGINE_UNAVAILABLE, await(leader.submit(Command.limit(3, "c", "600000.SH",
                    Side.SELL, TimeInForce.GTC, 1000, 100, T0 + 2))).code(), "and nothing after it");
            assertEquals(before, published.size(), "no event of a fenced batch");
        }
    }

    @Test
    void aStandbyRefusesACommandThatIsNotItsNextJournalSeq() {
        try (ShardedExchange leader = ShardedExchange.start(options(leaderDir), EventPublisher.NONE)) {
            await(leader.submit(Command.limit(1, "a", "600000.SH", Side.BUY, TimeInForce.GTC, 1000, 100, T0)));
            int shard = ShardedExchange.shardOf("600000.SH", SHARDS);
            AtomicBoolean taken = new AtomicBoolean();
            SnapshotStore.Snapshot image = leader.image(shard, seq -> taken.set(true)).toCompletableFuture().join();
            assertTrue(taken.get());
            ShardedExchange.install(options(standbyDir), shard, image);
            ShardedExchange.install(options(standbyDir), 1 - shard, leader.image(1 - shard, seq -> { })
                    .toCompletableFuture().join());
            try (ShardedExchange standby = ShardedExchange.start(options(standbyDir), EventPublisher.NONE, null,
                    null, true)) {
                long next = image.journalSeq() + 1;
                Command c = Command.limit(2, "b", "600000.SH", Side.SELL, TimeInForce.GTC, 1000, 100, T0 + 1);
                assertEquals(ResultCode.JOURNAL_FAILURE, await(standby.submitReplicated(shard, next + 1, c)).code(),
                        "a gap");
                assertEquals(ResultCode.OK, await(standby.submitReplicated(shard, next, c)).code());
                assertEquals(ResultCode.JOURNAL_FAILURE, await(standby.submitReplicated(shard, next, c)).code(),
                        "a repeat");
            }
            assertThrows(IllegalStateException.class, () -> ShardedExchange.install(options(standbyDir), shard, image),
                    "an image goes only into empty storage");
        }
    }

    /** A link that holds the batches sent before the standby runs and hands them over once it does. */
    private static final class BufferingLink implements ReplicaSink {
        final boolean[] attached = new boolean[SHARDS];
        private final List<Object[]> held = new ArrayList<>();
        private ShardedExchange standby;

        @Override
        public synchronized void replicate(int shard, long firstSeq, List<Command> commands) {
            if (!attached[shard]) {
                return;
            }
            if (standby == null) {
                held.add(new Object[] {shard, firstSeq, commands});
                return;
            }
            send(shard, firstSeq, commands);
        }

        synchronized void start(ShardedExchange s) {
            standby = s;
            for (Object[] h : held) {
                @SuppressWarnings("unchecked")
                List<Command> commands = (List<Command>) h[2];
                send((Integer) h[0], (Long) h[1], commands);
            }
            held.clear();
        }

        private void send(int shard, long firstSeq, List<Command> commands) {
            for (int i = 0; i < commands.size(); i++) {
                ResultCode code = await(standby.submitReplicated(shard, firstSeq + i, commands.get(i))).code();
                if (code == ResultCode.ENGINE_UNAVAILABLE || code == ResultCode.JOURNAL_FAILURE) {
                    throw new FencedException("the standby refused seq " + (firstSeq + i) + ": " + code);
                }
            }
        }
    }

    @Test
    void anImageTakenWhileCommandsPourInMissesNoneOfThem() throws Exception {
        Random rnd = new Random(7);
        BufferingLink link = new BufferingLink();
        try (ShardedExchange leader = ShardedExchange.start(options(leaderDir), EventPublisher.NONE, null, link,
                false)) {
            trade(leader, rnd, 1, 200);
            // Submit without waiting, so the rings hold large batches, and ask for the images meanwhile:
            // each lands somewhere inside a batch.
            List<CompletionStage<CommandResult>> pending = new ArrayList<>();
            List<CompletableFuture<SnapshotStore.Snapshot>> images = new ArrayList<>();
            for (int i = 0; i < 4_000; i++) {
                long id = 1_000 + i;
                String symbol = SYMBOLS[i % SYMBOLS.length];
                pending.add(leader.submit(Command.limit(id, "acct-" + (i % 5), symbol, i % 2 == 0 ? Side.BUY : Side.SELL,
                        TimeInForce.GTC, CATALOG.get(symbol).prevClose() - 10 + rnd.nextInt(21), 100, T0 + id)));
                if (i == 1_500) {
                    for (int shard = 0; shard < SHARDS; shard++) {
                        int s = shard;
                        images.add(leader.image(shard, seq -> link.attached[s] = true).toCompletableFuture());
                    }
                }
            }
            for (int shard = 0; shard < SHARDS; shard++) {
                ShardedExchange.install(options(standbyDir), shard, images.get(shard).get(10, TimeUnit.SECONDS));
            }
            try (ShardedExchange standby = ShardedExchange.start(options(standbyDir), EventPublisher.NONE, null, null,
                    true)) {
                link.start(standby);
                pending.forEach(ShardReplicationTest::await);
                trade(leader, rnd, 10_000, 200);
                for (int shard = 0; shard < SHARDS; shard++) {
                    assertEquals(leader.headSeq(shard), standby.headSeq(shard), "shard " + shard);
                }
                leader.close();
                standby.close();
                assertEquals(leader.stateHashes(), standby.stateHashes(), "the standby holds every command");
            }
        }
    }
}
