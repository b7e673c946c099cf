package org.opentrade.bench.exchange;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.port.EventPublisher;

/**
 * The whole shard runtime: one producer thread submits the steady-state mixed stream to a
 * {@link ShardedExchange} as fast as the ring accepts it (a full ring answers ENGINE_OVERLOADED at
 * once; the producer yields and resubmits the same command), and the shard journals, matches,
 * builds each {@link CommandResult} and completes its future. One operation is one completed
 * command: each invocation submits {@link StreamSpec#BATCH} commands and returns when the last
 * of them has completed (commands of a shard complete in order).
 *
 * <p>The exchange starts empty, so it is warmed to the stream's steady state by submitting the
 * stream's warm-up commands first; when the measured commands run out a fresh exchange (and fresh
 * journal directory) is started and warmed again, all outside measurement. RULES mode, one shard
 * (producer plus shard thread fill 2 cores), default ring and snapshot settings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ExchangePipelineBenchmark {


    @Param({"OFF", "NONE", "BATCH"})
    public JournalMode journal;

    private MixedStream stream;
    private Command[] commands;
    private int next;
    private ShardedExchange exchange;
    private Path dir;
    private long overloaded;
    private long completed;
    private long startedExchanges;
    private long verifiedPasses;

    @Setup(Level.Trial)
    public void generate() {
        stream = MixedStreamGenerator.generate(EngineMode.RULES, StreamSpec.fromSystemProperties());
        commands = stream.commands();
        next = commands.length;
    }

    /** Outside measurement: a fresh, warmed exchange when the measured commands run out. */
    @Setup(Level.Invocation)
    public void ensureBatch() {
        if (commands.length - next >= StreamSpec.BATCH) {
            return;
        }
        closeExchange();
        ShardedExchangeOptions options = ShardedExchangeOptions.defaults(EngineMode.catalog(stream.symbols()),
                new ContinuousCalendar());
        if (journal != JournalMode.OFF) {
            dir = BenchDirectories.create("opentrade-pipeline-bench");
            options = options.withJournal(dir, journal == JournalMode.BATCH ? FsyncPolicy.BATCH : FsyncPolicy.NONE);
        }
        exchange = ShardedExchange.start(options, EventPublisher.NONE);
        startedExchanges++;
        submitAll(stream.warmup(), 0, stream.warmup().length);
        next = 0;
    }

    @TearDown(Level.Trial)
    public void stop() {
        closeExchange();
        System.out.printf("%n  completed %d commands in benchmark invocations on %d exchanges (%d full passes "
                + "verified against the generator's end state); ring full %d times%n", completed, startedExchanges,
                verifiedPasses, overloaded);
    }

    /** Closes the exchange; after a complete pass, checks it ended where the generator's engine did. */
    private void closeExchange() {
        if (exchange != null) {
            exchange.close();
            String hash = exchange.stateHashes().get(0);
            if (next == commands.length && !hash.equals(stream.endHash())) {
                throw new IllegalStateException("exchange diverged from the generated stream: state hash " + hash
                        + ", expected " + stream.endHash());
            }
            verifiedPasses += next == commands.length ? 1 : 0;
            exchange = null;
        }
        BenchDirectories.delete(dir);
        dir = null;
    }

    @Benchmark
    @OperationsPerInvocation(StreamSpec.BATCH)
    public CommandResult submitAndComplete() {
        CommandResult last = submitAll(commands, next, StreamSpec.BATCH);
        next += StreamSpec.BATCH;
        completed += StreamSpec.BATCH;
        return last;
    }

    /** Submits {@code n} commands from {@code from}, resubmitting on a full ring; waits for the last. */
    private CommandResult submitAll(Command[] cs, int from, int n) {
        CompletableFuture<CommandResult> last = null;
        for (int i = from; i < from + n; i++) {
            while (true) {
                CompletableFuture<CommandResult> f = exchange.submit(cs[i]).toCompletableFuture();
                if (f.isDone() && f.join().code() == ResultCode.ENGINE_OVERLOADED) {
                    overloaded++;
                    Thread.yield();
                    continue;
                }
                last = f;
                break;
            }
        }
        CommandResult r = last.join();
        if (r.code() == ResultCode.JOURNAL_FAILURE || r.code() == ResultCode.ENGINE_UNAVAILABLE) {
            throw new IllegalStateException("exchange refused the stream: " + r.code());
        }
        return r;
    }
}
