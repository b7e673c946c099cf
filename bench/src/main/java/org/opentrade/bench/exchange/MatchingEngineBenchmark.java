package org.opentrade.bench.exchange;

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
import org.openjdk.jmh.infra.Blackhole;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.MatchingEngine;

/**
 * Matching engine throughput on one thread over the steady-state mixed stream of
 * {@link MixedStreamGenerator} (new limit/market, cancel, replace; about 1 000 resting orders per
 * book). One JMH operation is one command.
 *
 * <p>Each invocation processes one batch of {@link StreamSpec#BATCH} pre-built commands (a few
 * milliseconds, so the per-invocation setup costs nothing measurable). When the stream runs out,
 * the invocation-level setup restores the steady-state start snapshot; JMH excludes that time from
 * the score. {@code mixedStream} reports outcomes to {@link ExchangeListener#NONE} (the engine
 * alone); {@code mixedStreamWithEvents} also materialises every event through an
 * {@link EventCollector}, as a shard does before publishing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class MatchingEngineBenchmark {

    @Param({"PURE", "RULES"})
    public EngineMode mode;

    private MixedStream stream;
    private StreamReplayer replayer;
    private final EventCollector collector = new EventCollector(0);

    @Setup(Level.Trial)
    public void generate() {
        stream = MixedStreamGenerator.generate(mode, StreamSpec.fromSystemProperties());
        replayer = new StreamReplayer(stream);
        System.out.println();
        System.out.println(stream.describe());
    }

    /** Outside measurement: start over from the steady-state snapshot when the next batch would not fit. */
    @Setup(Level.Invocation)
    public void ensureBatch() {
        if (replayer.remaining() < StreamSpec.BATCH) {
            replayer.rewind();
        }
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println("  passes over the stream verified against the generator's end state: " + replayer.passes());
    }

    @Benchmark
    @OperationsPerInvocation(StreamSpec.BATCH)
    public void mixedStream() {
        replayer.process(StreamSpec.BATCH, ExchangeListener.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(StreamSpec.BATCH)
    public void mixedStreamWithEvents(Blackhole bh) {
        MatchingEngine engine = replayer.engine();
        EventCollector events = collector;
        for (int i = 0; i < StreamSpec.BATCH; i++) {
            Command c = replayer.next();
            events.begin(c);
            engine.process(c, events);
            bh.consume(events.events());
        }
    }
}
