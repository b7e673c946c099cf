package org.opentrade.bench.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opentrade.exchange.adapter.eventbus.FeedEndpoint;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;

/**
 * The exchange feed against the engine's own event rate, side by side in one JVM
 * (bench/README.md, targets row 2). A plain {@code main}, not JMH: a measured run is one pass of a
 * stream through a fresh multi-threaded pipeline, timed at the consumer (see bench/README.md, "Why").
 *
 * <ol>
 *   <li><b>Engine</b> ({@link EngineEventRate}): the measured mixed stream (RULES mode) through a bare
 *       engine and event collector on this thread; commands/s and events/s, best pass after a timed
 *       warm-up, measured before the feed runs and again after them (the best counts).</li>
 *   <li><b>Live feed</b> ({@link FeedRuns#live}): a fresh one-shard exchange ({@link FeedRig}) is warmed
 *       to the stream's steady state while one {@code FeedConsumer} follows it; then the measured
 *       commands go in as fast as the exchange takes them ({@link CommandDriver}) and the consumer's
 *       rate is timed from the first to the last measured event. Storage on (file journal + event log,
 *       no fsync) and off, each {@code --repeat} times (the best counts). Then paced at {@code --rate}
 *       commands/s for a variant whose best run reached that rate.</li>
 *   <li><b>Catch-up</b> ({@link FeedRuns#catchUp}): on the idle exchange of the first storage-on run, a
 *       fresh consumer from position 0 to the head through {@link FeedEndpoint} replay pages (10 000
 *       and the default 1 000); and the raw {@code ShardedExchange.replay} read rate without the bus.</li>
 * </ol>
 * Before the feed runs, the same steps run once on a quarter of the stream and are discarded (JIT
 * warm-up). Each run checks that the consumer saw every event once and in order and that the exchange
 * emitted exactly the engine's events; each full run checks the exchange ended in the generator's
 * final state. CPU per command and per event of each thread is printed beside every rate: on a shared
 * machine rates drift with the load, CPU costs much less.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.opentrade.bench.exchange.FeedBenchmark [--commands 1998848]
 * [--passes 3] [--warmup-seconds 3] [--repeat 2] [--rate 1000000]}; the rest of the stream's shape from
 * the {@code stream.*} properties of {@link StreamSpec}. Ends with a summary table ("== summary").
 */
public final class FeedBenchmark {
    public static final int DEFAULT_COMMANDS = 122 * StreamSpec.BATCH;
    public static final int DEFAULT_PASSES = 3;
    /** Engine passes are discarded until this long has passed: the JIT needs a few million commands. */
    public static final double DEFAULT_WARMUP_SECONDS = 3;
    public static final int DEFAULT_REPEAT = 2;
    public static final long DEFAULT_RATE = 1_000_000;
    /** The catch-up target (bench/README.md, targets row 2). */
    public static final double CATCH_UP_TARGET = 1e6;
    private static final int[] PAGES = {FeedEndpoint.MAX_PAGE, FeedConsumerOptions.DEFAULT_REPLAY_PAGE_SIZE};
    private static final String ON = "storage on";
    private static final String OFF = "storage off";

    private final MixedStream stream;
    private final int passes;
    private final double warmupSeconds;
    private final int repeat;
    private final long rate;
    private final List<String> rows = new ArrayList<>();

    private FeedBenchmark(MixedStream stream, int passes, double warmupSeconds, int repeat, long rate) {
        this.stream = stream;
        this.passes = passes;
        this.warmupSeconds = warmupSeconds;
        this.repeat = repeat;
        this.rate = rate;
    }

    public static void main(String[] args) {
        int commands = DEFAULT_COMMANDS;
        int passes = DEFAULT_PASSES;
        double warmupSeconds = DEFAULT_WARMUP_SECONDS;
        int repeat = DEFAULT_REPEAT;
        long rate = DEFAULT_RATE;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--commands" -> commands = Integer.parseInt(value);
                case "--passes" -> passes = Integer.parseInt(value);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
                case "--repeat" -> repeat = Integer.parseInt(value);
                case "--rate" -> rate = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; allowed: --commands <n,"
                        + " a multiple of " + StreamSpec.BATCH + "> --passes <n> --warmup-seconds <s> --repeat <n>"
                        + " --rate <commands/s>");
            }
        }
        if (passes < 1 || repeat < 1 || rate < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--passes, --repeat and --rate must be >= 1, --warmup-seconds >= 0");
        }
        StreamSpec d = StreamSpec.fromSystemProperties();
        StreamSpec spec = new StreamSpec(d.seed(), d.symbols(), d.restingPerBook(), commands, d.settle());
        MixedStream stream = MixedStreamGenerator.generate(EngineMode.RULES, spec);
        System.out.println(stream.describe());
        // Outside measurement: promote the pre-built stream, drop generation garbage.
        System.gc();
        new FeedBenchmark(stream, passes, warmupSeconds, repeat, rate).run();
    }

    private void run() {
        int n = stream.commands().length;
        EngineEventRate engine = new EngineEventRate(stream);
        System.out.printf(Locale.ROOT, "%n== 1. engine alone: %,d commands per pass; warm-up passes for %.0f s, then %d"
                + " measured (and %d more after the feed runs)%n", n, warmupSeconds, passes, passes);
        EngineEventRate.Rate before = engine.measure(passes, warmupSeconds, "before");

        System.out.printf("%n== warm-up (discarded): the feed runs on a quarter of the stream%n");
        try (FeedRig rig = FeedRig.start(stream, true)) {
            FeedRuns.live(rig, stream, n / 4, before.quarterEvents(), 0, SectionRecorder.WARM_UP);
            FeedRuns.catchUp(rig, FeedEndpoint.MAX_PAGE, SectionRecorder.WARM_UP);
            FeedRuns.rawReplay(rig, FeedEndpoint.MAX_PAGE, SectionRecorder.WARM_UP);
        }

        System.out.printf("%n== 2. live feed to one consumer, as fast as the exchange takes commands%n");
        FeedRuns.Live stored = null;
        FeedRuns.Live bare = null;
        List<FeedRuns.CatchUp> catchUps = new ArrayList<>();
        double[] raw = new double[PAGES.length];
        for (int r = 0; r < repeat; r++) {
            try (FeedRig rig = FeedRig.start(stream, true)) {
                FeedRuns.Live run = FeedRuns.live(rig, stream, n, before.events(), 0,
                        ON + " (file journal + event log, no fsync), run " + (r + 1));
                stored = run.best(stored);
                if (r == 0) {
                    System.out.printf("%n== 3. catch-up from a standing start (exchange idle, its event log holds %,d"
                            + " events, in the page cache)%n", rig.exchange().headSeq(0));
                    for (int page : PAGES) {
                        catchUps.add(FeedRuns.catchUp(rig, page, "measured"));
                    }
                    for (int p = 0; p < PAGES.length; p++) {
                        raw[p] = FeedRuns.rawReplay(rig, PAGES[p], "measured");
                    }
                    System.out.println();
                }
                verifyEndState(rig.closeAndHash());
            }
            try (FeedRig rig = FeedRig.start(stream, false)) {
                bare = FeedRuns.live(rig, stream, n, before.events(), 0, OFF + " (no journal, no event log), run "
                        + (r + 1)).best(bare);
                verifyEndState(rig.closeAndHash());
            }
        }
        FeedRuns.Live pacedOn = paced(stored, true, before);
        FeedRuns.Live pacedOff = paced(bare, false, before);

        System.out.printf("%n== 1. engine alone again (the machine drifts; the best pass of both counts)%n");
        EngineEventRate.Rate best = before.best(engine.measure(passes, 0, "after"));
        System.out.printf(Locale.ROOT, "  best pass: %,.0f commands/s, %,.0f events/s (%,d events, %.3f per command),"
                        + " CPU %.0f ns/command; at %,d commands/s the engine emits %,.0f events/s%n",
                best.commandsPerSecond(), best.eventsPerSecond(), best.events(), best.eventsPerCommand(),
                best.cpuNanosPerCommand(), rate, rate * best.eventsPerCommand());
        summary(best, stored, bare, pacedOn, pacedOff, catchUps, raw);
    }

    /** The variant paced at {@link #rate}, when its best run reached that rate; else null. */
    private FeedRuns.Live paced(FeedRuns.Live best, boolean storage, EngineEventRate.Rate engine) {
        String label = storage ? ON : OFF;
        if (best.driver().commandsPerSecond() < rate) {
            System.out.printf(Locale.ROOT, "%n== 2. %s, no paced run: the exchange's best was %,.0f commands/s, below"
                    + " %,d%n", label, best.driver().commandsPerSecond(), rate);
            return null;
        }
        System.out.printf(Locale.ROOT, "%n== 2. live feed, %s, paced at %,d commands/s%n", label, rate);
        try (FeedRig rig = FeedRig.start(stream, storage)) {
            FeedRuns.Live run = FeedRuns.live(rig, stream, stream.commands().length, engine.events(), rate,
                    label + ", paced");
            verifyEndState(rig.closeAndHash());
            return run;
        }
    }

    // ------------------------------------------------------------------ summary

    private void summary(EngineEventRate.Rate engine, FeedRuns.Live stored, FeedRuns.Live bare, FeedRuns.Live pacedOn,
                         FeedRuns.Live pacedOff, List<FeedRuns.CatchUp> catchUps, double[] raw) {
        double target = rate * engine.eventsPerCommand();
        String atRate = String.format(Locale.ROOT, "%.0f k commands/s", rate / 1e3);
        row("engine alone (MatchingEngine + EventCollector), commands/s", mops(engine.commandsPerSecond()), "-", "-");
        row(String.format(Locale.ROOT, "engine alone, events/s (%.3f events per command)", engine.eventsPerCommand()),
                mops(engine.eventsPerSecond()), "-", "-");
        row("engine alone, CPU per command", ns(engine.cpuNanosPerCommand()), "-", "-");
        row("engine's event rate at " + atRate + " (the feed target)", mops(target), "-", "-");
        liveRows(ON, stored, pacedOn, engine, target, atRate);
        liveRows(OFF, bare, pacedOff, engine, target, atRate);
        for (FeedRuns.CatchUp c : catchUps) {
            row(String.format(Locale.ROOT, "catch-up via FeedEndpoint, page %,d: events/s", c.page()),
                    mops(c.eventsPerSecond()), ">= 1.00 M/s", met(c.eventsPerSecond() >= CATCH_UP_TARGET));
            row("  CPU per event: workers reading the log / consumer event loop", ns(c.costs().workersPerEvent())
                    + " / " + ns(c.costs().consumerPerEvent()), "-", "-");
            row("  log reading's ceiling on one free core (1 s / its CPU per event)",
                    mops(1e9 / c.costs().workersPerEvent()), "-", "-");
        }
        for (int p = 0; p < PAGES.length; p++) {
            row(String.format(Locale.ROOT, "  raw ShardedExchange.replay, page %,d, no bus: events/s", PAGES[p]),
                    mops(raw[p]), "-", "-");
        }
        System.out.println();
        System.out.println("== summary");
        System.out.printf("| %-68s | %16s | %-15s | %-4s |%n", "metric", "measured", "target", "met?");
        System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(70), "-".repeat(18), "-".repeat(17), "-".repeat(6));
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "Stream: %,d measured commands (RULES, %d symbols, ~%d resting orders per book)"
                        + " after %,d warm-up commands; live rows: best of %d runs; ratios are to the engine's events/s"
                        + " in this run; a \"ceiling\" is 1 s divided by a thread's CPU per unit: what it could do"
                        + " with a core to itself.%n", stream.commands().length, stream.symbols().length,
                stream.spec().restingPerBook(), stream.warmup().length, repeat);
    }

    private void liveRows(String label, FeedRuns.Live run, FeedRuns.Live paced, EngineEventRate.Rate engine,
                          double target, String atRate) {
        FeedRuns.Costs c = run.costs();
        row("live, " + label + ", max: consumer events/s", mops(run.consumerEventsPerSecond()), ">= " + mops(target),
                met(run.consumerEventsPerSecond() >= target));
        row("  consumer / engine events/s", String.format(Locale.ROOT, "%.1f %%",
                100 * run.consumerEventsPerSecond() / engine.eventsPerSecond()), "-", "-");
        row("  exchange completed commands/s", mops(run.driver().commandsPerSecond()), "-", "-");
        row("  consumer's last event after the last command completed", String.format(Locale.ROOT, "%.1f ms",
                run.lagMillis()), "-", "-");
        row("  CPU per command: shard thread (engine alone: " + ns(engine.cpuNanosPerCommand()) + ")",
                ns(c.shardPerCommand()), "-", "-");
        row("  shard thread's ceiling on one free core", mops(1e9 / c.shardPerCommand()) + " cmd", "-", "-");
        row("  shard thread runnable but waiting for a CPU (share of the run)", String.format(Locale.ROOT, "%.0f %%",
                100 * c.shardWaitingForCpu()), "-", "-");
        row("  CPU per event: exchange event loop / consumer event loop", ns(c.exchangeLoopPerEvent()) + " / "
                + ns(c.consumerPerEvent()), "-", "-");
        row("  consumer event loop's ceiling on one free core", mops(1e9 / c.consumerPerEvent()), "-", "-");
        row("  whole JVM, cores busy", String.format(Locale.ROOT, "%.2f", c.jvmCores()), "-", "-");
        if (paced != null) {
            row("live, " + label + ", paced at " + atRate + ": consumer events/s",
                    mops(paced.consumerEventsPerSecond()), ">= " + mops(target),
                    met(paced.consumerEventsPerSecond() >= 0.99 * target));
            row("  paced: exchange completed commands/s", mops(paced.driver().commandsPerSecond()), "-", "-");
            row("  paced: consumer's last event after the last command", String.format(Locale.ROOT, "%.1f ms",
                    paced.lagMillis()), "-", "-");
            row("  paced: shard thread runnable but waiting for a CPU", String.format(Locale.ROOT, "%.0f %%",
                    100 * paced.costs().shardWaitingForCpu()), "-", "-");
        } else {
            row("live, " + label + ", paced at " + atRate + ": not run, exchange max",
                    mops(run.driver().commandsPerSecond()) + " cmd", ">= " + mops(rate) + " cmd", "NO");
        }
    }

    private void row(String metric, String measured, String target, String met) {
        rows.add(String.format("| %-68s | %16s | %-15s | %-4s |", metric, measured, target, met));
    }

    private static String mops(double perSecond) {
        return String.format(Locale.ROOT, "%.2f M/s", perSecond / 1e6);
    }

    private static String ns(double nanos) {
        return String.format(Locale.ROOT, "%.0f ns", nanos);
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "NO";
    }

    private void verifyEndState(String hash) {
        if (!hash.equals(stream.endHash())) {
            throw new IllegalStateException("exchange diverged from the generated stream: state hash " + hash
                    + ", expected " + stream.endHash());
        }
    }
}
