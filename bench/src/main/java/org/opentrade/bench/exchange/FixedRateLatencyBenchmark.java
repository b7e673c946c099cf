package org.opentrade.bench.exchange;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.MatchingEngine;

/**
 * Engine latency at a fixed offered rate, free of coordinated omission. One thread paces the
 * steady-state mixed stream at {@code --rate} commands per second: command {@code i} is due at
 * {@code start + i / rate}; the thread spins until then (or starts at once when it is behind) and
 * records {@code end - due} in an HdrHistogram. A stall therefore shows up in the latency of every
 * command that should have run during it, not only in the one that hit it. The service time
 * ({@code end - actual start}) is recorded beside it to show how much of the latency is queueing.
 *
 * <p>When the pre-built stream is used up, the engine is restored to the stream's steady-state
 * start snapshot and the schedule restarts after the restore: the restore is benchmark machinery,
 * not something the exchange does, so it is kept out of both histograms.
 *
 * <p>On shared or virtual cores the thread is sometimes descheduled for tens of microseconds, which
 * no engine can hide. So before the engine run the same paced loop runs empty for
 * {@code --baseline-seconds} and its percentiles are printed as the {@code platform} row: what the
 * machine alone does to a spinning thread at this rate. Collections during the measured run are
 * printed too.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.opentrade.bench.exchange.FixedRateLatencyBenchmark
 * [--rate 1000000] [--seconds 10] [--warmup-seconds 5] [--baseline-seconds 5] [--mode PURE|RULES]};
 * stream shape from the {@code stream.*} system properties of {@link StreamSpec}. Prints one
 * {@code RESULT} line per run that the run script parses.
 */
public final class FixedRateLatencyBenchmark {
    public static final long DEFAULT_RATE = 1_000_000;
    public static final int DEFAULT_SECONDS = 10;
    public static final int DEFAULT_WARMUP_SECONDS = 5;
    public static final int DEFAULT_BASELINE_SECONDS = 5;
    private static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;

    private final StreamReplayer replayer;
    private final long rate;

    FixedRateLatencyBenchmark(MixedStream stream, long rate) {
        this.replayer = new StreamReplayer(stream);
        this.rate = rate;
    }

    public static void main(String[] args) {
        long rate = DEFAULT_RATE;
        int seconds = DEFAULT_SECONDS;
        int warmupSeconds = DEFAULT_WARMUP_SECONDS;
        int baselineSeconds = DEFAULT_BASELINE_SECONDS;
        EngineMode mode = EngineMode.PURE;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rate" -> rate = Long.parseLong(require(args[i], value));
                case "--seconds" -> seconds = Integer.parseInt(require(args[i], value));
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(require(args[i], value));
                case "--baseline-seconds" -> baselineSeconds = Integer.parseInt(require(args[i], value));
                case "--mode" -> mode = EngineMode.valueOf(require(args[i], value).toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; allowed: --rate <commands/s> --seconds <n> --warmup-seconds <n> --baseline-seconds <n>"
                        + " --mode PURE|RULES");
            }
            i++;
        }
        if (rate < 1 || rate > 1_000_000_000L || seconds < 1 || warmupSeconds < 0 || baselineSeconds < 0) {
            throw new IllegalArgumentException(
                    "--rate must be in [1, 1e9], --seconds >= 1, --warmup-seconds and --baseline-seconds >= 0");
        }
        MixedStream stream = MixedStreamGenerator.generate(mode, StreamSpec.fromSystemProperties());
        System.out.println(stream.describe());
        FixedRateLatencyBenchmark bench = new FixedRateLatencyBenchmark(stream, rate);
        // Outside measurement: promote the pre-built stream and drop generation garbage, so no
        // collection during the run has to copy the ~100 MB of commands.
        System.gc();
        Histogram latency = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        Histogram service = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        Histogram platform = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        runEmpty(baselineSeconds * rate, rate, platform);
        platform.reset();
        runEmpty(baselineSeconds * rate, rate, platform);
        bench.run(warmupSeconds * rate, latency, service);
        latency.reset();
        service.reset();
        long[] gcBefore = collections();
        long t0 = System.nanoTime();
        bench.run(seconds * rate, latency, service);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] gcAfter = collections();
        report(System.out, mode, rate, platform, latency, service, elapsed, bench.replayer.passes());
        System.out.printf(Locale.ROOT, "  garbage collections during the measured run: %d, %d ms in total%n",
                gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
    }

    /** The same schedule with no work: what the platform alone does to a paced spinning thread. */
    static void runEmpty(long count, long rate, Histogram platform) {
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * 1_000_000_000L / rate;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            platform.recordValue(System.nanoTime() - due);
        }
    }

    private static long[] collections() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** Runs {@code count} commands on the fixed schedule, recording into the two histograms. */
    void run(long count, Histogram latency, Histogram service) {
        MatchingEngine engine = replayer.engine();
        long done = 0;
        while (done < count) {
            if (replayer.remaining() == 0) {
                replayer.rewind();
                engine = replayer.engine();
            }
            long segment = Math.min(count - done, replayer.remaining());
            long start = System.nanoTime();
            for (long i = 0; i < segment; i++) {
                long due = start + i * 1_000_000_000L / rate;
                long now;
                while ((now = System.nanoTime()) < due) {
                    Thread.onSpinWait();
                }
                engine.process(replayer.next(), ExchangeListener.NONE);
                long end = System.nanoTime();
                latency.recordValue(end - due);
                service.recordValue(end - now);
            }
            done += segment;
        }
    }

    private static void report(PrintStream out, EngineMode mode, long rate, Histogram platform, Histogram latency,
                               Histogram service, double elapsed, int passes) {
        out.printf(Locale.ROOT, "fixed-rate latency, mode=%s, offered %,d commands/s, achieved %,.0f commands/s, "
                + "%d commands, %d verified stream passes%n", mode, rate, latency.getTotalCount() / elapsed,
                latency.getTotalCount(), passes);
        out.println("  (ns)        p50      p90      p99    p99.9   p99.99      max");
        out.println("  platform" + row(platform) + "   (the same paced loop doing nothing: the machine's own hiccups)");
        out.println("  latency " + row(latency) + "   (from intended start: coordinated-omission-correct)");
        out.println("  service " + row(service) + "   (from actual start: hides queueing, for comparison)");
        out.printf(Locale.ROOT, "RESULT latency mode=%s rate=%d p50=%d p90=%d p99=%d p999=%d max=%d "
                        + "platform_p99=%d platform_p999=%d%n", mode, rate,
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(90),
                latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue(),
                platform.getValueAtPercentile(99), platform.getValueAtPercentile(99.9));
    }

    private static String row(Histogram h) {
        return String.format(Locale.ROOT, "%8d %8d %8d %8d %8d %8d", h.getValueAtPercentile(50),
                h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getValueAtPercentile(99.99), h.getMaxValue());
    }
}
