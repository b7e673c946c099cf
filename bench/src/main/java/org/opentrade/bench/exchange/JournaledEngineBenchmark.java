package org.opentrade.bench.exchange;

import java.nio.file.Path;
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
import org.opentrade.exchange.adapter.file.FileCommandJournal;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.MatchingEngine;

/**
 * Engine plus journal on one thread, the way a shard runs a batch: append {@code commitEvery}
 * commands to the {@link FileCommandJournal}, {@code commit()} once (group commit; an fsync under
 * {@link FsyncPolicy#BATCH}), then match them. One operation is one command of the steady-state
 * mixed stream (RULES mode, as the live sandbox runs). {@code journal=OFF} is the same loop without
 * the journal, for a side-by-side ratio in one run.
 *
 * <p>The journal keeps growing across stream passes (the engine is rewound, the journal is not):
 * it measures writing, not recovery. Full segments are deleted between invocations so the disk
 * does not fill. Journal files go under {@code -Djournal.dir}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class JournaledEngineBenchmark {


    @Param({"OFF", "NONE", "BATCH"})
    public JournalMode journal;

    /** Commands per group commit: larger amortises the write (and fsync) over more commands. */
    @Param({"64", "1024"})
    public int commitEvery;

    private StreamReplayer replayer;
    private Path dir;
    private FileCommandJournal log;
    private Command[] group;

    @Setup(Level.Trial)
    public void open() {
        if (StreamSpec.BATCH % commitEvery != 0) {
            throw new IllegalArgumentException("commitEvery must divide " + StreamSpec.BATCH + ", was " + commitEvery);
        }
        MixedStream stream = MixedStreamGenerator.generate(EngineMode.RULES, StreamSpec.fromSystemProperties());
        replayer = new StreamReplayer(stream);
        group = new Command[commitEvery];
        if (journal != JournalMode.OFF) {
            dir = BenchDirectories.create("opentrade-journal-bench");
            log = FileCommandJournal.open(dir, journal == JournalMode.BATCH ? FsyncPolicy.BATCH : FsyncPolicy.NONE);
        }
    }

    /** Outside measurement: rewind the engine when the stream runs out; drop full journal segments. */
    @Setup(Level.Invocation)
    public void ensureBatch() {
        if (replayer.remaining() < StreamSpec.BATCH) {
            replayer.rewind();
        }
        if (log != null) {
            log.deleteUpTo(log.lastSeq());
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (log != null) {
            log.close();
            BenchDirectories.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(StreamSpec.BATCH)
    public void journalThenMatch() {
        MatchingEngine engine = replayer.engine();
        FileCommandJournal j = log;
        if (j == null) {
            replayer.process(StreamSpec.BATCH, ExchangeListener.NONE);
            return;
        }
        Command[] group = this.group;
        for (int done = 0; done < StreamSpec.BATCH; done += commitEvery) {
            for (int i = 0; i < group.length; i++) {
                group[i] = replayer.next();
                j.append(group[i]);
            }
            j.commit();
            for (Command c : group) {
                engine.process(c, ExchangeListener.NONE);
            }
        }
    }
}
