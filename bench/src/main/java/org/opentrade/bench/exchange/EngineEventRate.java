package org.opentrade.bench.exchange;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.Command;

/**
 * The feed benchmark's reference: the measured mixed stream through a bare {@link MatchingEngine}
 * and an {@link EventCollector} on the calling thread, as {@code MatchingEngineBenchmark
 * .mixedStreamWithEvents} does (calls of {@link StreamSpec#BATCH} commands), whole passes from the
 * stream's start state. Also counts the events of the whole stream and of its first quarter, which
 * the feed runs must see exactly. Single-threaded.
 */
final class EngineEventRate {
    /**
     * Fastest pass of a measurement (wall time) and the least CPU a pass used per command (thread CPU
     * time: unlike the rate, hardly moved by other processes taking the core); events of the whole
     * measured stream and of its first quarter.
     */
    record Rate(double commandsPerSecond, double eventsPerSecond, double cpuNanosPerCommand, long events,
                long quarterEvents, int commands) {
        double eventsPerCommand() {
            return (double) events / commands;
        }

        /** The faster pass, and the lower CPU per command, of two measurements. */
        Rate best(Rate other) {
            Rate faster = other.commandsPerSecond > commandsPerSecond ? other : this;
            return new Rate(faster.commandsPerSecond, faster.eventsPerSecond,
                    Math.min(cpuNanosPerCommand, other.cpuNanosPerCommand), events, quarterEvents, commands);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final StreamReplayer replayer;
    private final EventCollector collector = new EventCollector(0);
    private final int commands;
    private long events = -1;
    private long quarterEvents = -1;

    EngineEventRate(MixedStream stream) {
        this.replayer = new StreamReplayer(stream);
        this.commands = stream.commands().length;
    }

    /**
     * Whole passes: discarded ones until {@code warmupSeconds} have passed (at least one), then
     * {@code passes} measured ones, of which the fastest counts. Each pass after the first checks that
     * the one before ended in the generator's final state.
     */
    Rate measure(int passes, double warmupSeconds, String label) {
        int quarter = commands / 4;
        long best = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int discarded = 0;
        for (int measured = 0; measured < passes; ) {
            if (replayer.remaining() < commands) {
                replayer.rewind();
            }
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long q = process(quarter);
            long all = q + process(commands - quarter);
            long nanos = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            if (events >= 0 && (all != events || q != quarterEvents)) {
                throw new IllegalStateException("the stream emitted " + all + " events, an earlier pass " + events);
            }
            events = all;
            quarterEvents = q;
            boolean warming = discarded == 0 || System.nanoTime() < warmupEnd;
            if (warming) {
                discarded++;
            } else {
                measured++;
                best = Math.min(best, nanos);
                bestCpu = Math.min(bestCpu, cpu);
            }
            System.out.printf(Locale.ROOT, "  %s pass%s: %,.0f commands/s, %,.0f events/s, CPU %.0f ns/command (%.0f%% of"
                            + " the pass on a CPU)%n", label, warming ? " (warm-up, discarded)" : "",
                    commands * 1e9 / nanos, all * 1e9 / nanos, (double) cpu / commands, 100.0 * cpu / nanos);
        }
        return new Rate(commands * 1e9 / best, events * 1e9 / best, (double) bestCpu / commands, events,
                quarterEvents, commands);
    }

    private long process(int n) {
        long sum = 0;
        for (int done = 0; done < n; ) {
            int chunk = Math.min(StreamSpec.BATCH, n - done);
            sum += processChunk(replayer.engine(), chunk);
            done += chunk;
        }
        return sum;
    }

    private long processChunk(MatchingEngine engine, int n) {
        EventCollector c = collector;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Command command = replayer.next();
            c.begin(command);
            engine.process(command, c);
            sum += c.events().size();
        }
        return sum;
    }
}
