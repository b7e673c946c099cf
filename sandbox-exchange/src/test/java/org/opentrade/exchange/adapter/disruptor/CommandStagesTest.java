package org.opentrade.exchange.adapter.disruptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.exchange.port.CommandStages;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.ReplicaSink;

/** The shard records when a command passed each of its stages, in order, for the command's span. */
class CommandStagesTest {
    private static final long T0 = ShardedExchangeTest.T0;

    @TempDir
    Path dir;

    private ShardedExchangeOptions options() {
        return ShardedExchangeOptions.defaults(ShardedExchangeTest.CATALOG, ShardedExchangeTest.CALENDAR)
                .withJournal(dir, FsyncPolicy.BATCH).withShards(2);
    }

    private static CommandResult await(CompletableFuture<CommandResult> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Command order(long id) {
        return Command.limit(id, "alice", "600000.SH", Side.BUY, TimeInForce.GTC, 1040, 100, T0 + id);
    }

    @Test
    void eachStageIsRecordedInOrderAndTheReplicationStageOnlyWithAStandbyAndEveryBatchIsTimed() {
        List<Integer> replicatedBatches = new ArrayList<>();
        ReplicaSink standby = (shard, firstSeq, commands) -> {
            replicatedBatches.add(commands.size());
            sleepMillis(5); // the standby's acknowledgement takes a while: the stage must cover it
        };
        for (ReplicaSink replicas : new ReplicaSink[] {null, standby}) {
            try (ShardedExchange exchange = ShardedExchange.start(options(), EventPublisher.NONE, null, replicas, false)) {
                long before = System.nanoTime();
                CommandStages stages = new CommandStages();
                CommandResult r = await(exchange.submit(order(replicas == null ? 1 : 2), stages).toCompletableFuture());
                assertEquals(ResultCode.OK, r.code());
                assertTrue(before <= stages.dequeued(), "dequeued after it was submitted");
                assertTrue(stages.dequeued() <= stages.journaled(), "journal commit after the dequeue");
                if (replicas == null) {
                    assertEquals(0, stages.replicated(), "no standby: no replication stage");
                    assertTrue(stages.journaled() <= stages.matchStarted());
                } else {
                    assertEquals(List.of(1), replicatedBatches, "the batch went to the standby");
                    assertTrue(stages.replicated() - stages.journaled() >= TimeUnit.MILLISECONDS.toNanos(5),
                            "the replication stage covers the standby's acknowledgement");
                    assertTrue(stages.replicated() <= stages.matchStarted(), "matched after the standby has it");
                }
                assertTrue(stages.matchStarted() <= stages.matched());
                assertTrue(stages.matched() <= stages.published());
                assertTrue(stages.published() <= System.nanoTime());
                assertEquals(1, stages.batchCommands());
                ShardTimings timings = exchange.timings();
                assertEquals(1, timings.commits(), "every batch's journal commit is timed");
                assertEquals(1, timings.batches());
                assertEquals(replicas == null ? 0 : 1, timings.replications(), "the standby's acknowledgements");
                StringBuilder text = new StringBuilder();
                timings.appendPrometheus(text);
                assertTrue(text.toString().contains("opentrade_exchange_batch_commands_bucket{le=\"1.0\"} 1\n"), text.toString());
                assertTrue(text.toString().contains("opentrade_exchange_replication_seconds_count " + (replicas == null ? 0 : 1)),
                        text.toString());
            }
        }
    }

    @Test
    void aCommandWithoutStagesRecordsNothingAndTheOthersOfItsBatchStillDo() {
        try (ShardedExchange exchange = ShardedExchange.start(options(), EventPublisher.NONE)) {
            CommandStages stages = new CommandStages();
            List<CompletableFuture<CommandResult>> all = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                all.add(exchange.submit(order(i), i == 150 ? stages : null).toCompletableFuture());
            }
            all.forEach(CommandStagesTest::await);
            assertTrue(stages.matched() > 0 && stages.published() >= stages.matched());
            assertTrue(stages.batchCommands() >= 1 && stages.batchCommands() <= 200, "its group commit's size");
        }
    }

    @Test
    void aRefusedCommandReachesNoStageAfterTheQueue() {
        try (ShardedExchange exchange = ShardedExchange.start(options(), EventPublisher.NONE)) {
            CommandStages stages = new CommandStages();
            Command unknownSymbol = Command.limit(7, "alice", "", Side.BUY, TimeInForce.GTC, 1040, 100, T0);
            assertEquals(ResultCode.MALFORMED_COMMAND, await(exchange.submit(unknownSymbol, stages).toCompletableFuture()).code());
            assertEquals(0, stages.dequeued(), "refused before the ring: no stage");
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
