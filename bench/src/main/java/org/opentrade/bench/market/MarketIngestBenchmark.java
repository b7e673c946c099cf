package org.opentrade.bench.market;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opentrade.bench.exchange.EngineMode;
import org.opentrade.bench.exchange.MixedStream;
import org.opentrade.bench.exchange.MixedStreamGenerator;
import org.opentrade.bench.exchange.StreamSpec;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.market.adapter.history.HistoryWriter;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.adapter.ws.StreamOptions;
import org.opentrade.market.adapter.ws.StreamWiring;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.domain.stream.RetentionOptions;

/**
 * How many exchange events per second market-api's live side can apply, against the feed rate of
 * bench/README.md's targets row 2:
 * {@link MarketBoard#onEvent} with the service's real listener chain — a {@link HistoryWriter} (its own
 * thread) on an {@link InMemoryTimeSeriesStore}, and {@link StreamWiring} as the board's listener with no
 * client connected (every message is still encoded once and kept in its channel's resume log, which is
 * what a publish costs before the fan-out) — from a pre-built realistic stream ({@link IngestStream}: the
 * bench's seeded mixed stream through the real matching engine).
 *
 * <p>As in the service, everything of the board runs on one Vert.x event-loop context, and the board's
 * deferred work (one depth diff and one quote per changed symbol) runs after each feed batch: here after
 * every {@code batch} events, the feed consumer's unit of delivery (one {@code FeedBatch} per exchange
 * publish; large under load, a command's few events when the exchange is idle). A pass is a fresh board
 * (and writer, store and wiring): the stream's warm-up events (books built from empty, then settled) are
 * applied untimed, then the measured events timed on the market thread. The history writer may lag; the
 * pass waits for it to drain and checks nothing was dropped, that every trade was written, and that the
 * board counted exactly the stream's events and trades. Passes are discarded until {@code
 * --warmup-seconds} have passed (JIT), then {@code --passes} count; the fastest is reported, with the
 * CPU per event of the market thread (least of the passes), the writer thread and the whole process.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.opentrade.bench.market.MarketIngestBenchmark [--commands
 * 262144] [--passes 3] [--warmup-seconds 8] [--variants 1000:all,16:all,1000,1000:bare] [--ms-per-command 1.0]}: a variant is
 * a feed batch size, with {@code :all} for every channel active, {@code :bare} for the board without listener (what the stream wiring costs). Prints
 * {@code RESULT ingest batch=... events_per_s=... trades_per_s=... cpu_ns_per_event=...} lines for scripts.
 * Single-threaded driver; not for tests.
 */
public final class MarketIngestBenchmark {
    public static final int DEFAULT_COMMANDS = 16 * StreamSpec.BATCH;
    public static final int DEFAULT_PASSES = 3;
    public static final double DEFAULT_WARMUP_SECONDS = 8;
    /** A busy market: 1 000 commands per second of market time over 8 symbols, ~25 trades/s per symbol. */
    public static final double DEFAULT_MS_PER_COMMAND = 1.0;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String WRITER_THREAD = "market-history-writer";

    /** Measured by default: large and small feed batches with the wiring, and large batches without it. */
    public static final String DEFAULT_VARIANTS = "1000:all,16:all,1000,1000:bare";

    /**
     * A feed batch size, whether the stream wiring listens ({@code :bare}: the board's listener is NONE), and
     * whether every channel of every symbol is active ({@code :all}: each was subscribed once, so every
     * trade, quote, depth diff and K-line update of every interval is built and logged; without it, as on a
     * server nobody subscribed to, the wiring builds nothing).
     */
    record Variant(int batch, boolean wiring, boolean allChannels) {
        static List<Variant> parse(String text) {
            List<Variant> list = new ArrayList<>();
            for (String part : text.split(",")) {
                String p = part.strip();
                boolean bare = p.endsWith(":bare");
                boolean all = p.endsWith(":all");
                int batch = Integer.parseInt(bare ? p.substring(0, p.length() - 5) : all ? p.substring(0, p.length() - 4) : p);
                if (batch < 1) {
                    throw new IllegalArgumentException("a feed batch must be at least 1 event, got " + batch);
                }
                list.add(new Variant(batch, !bare, all));
            }
            return List.copyOf(list);
        }

        @Override
        public String toString() {
            return batch + (!wiring ? ":bare" : allChannels ? ":all" : "");
        }
    }

    /** The figures of one pass. */
    record Pass(double eventsPerSecond, double tradesPerSecond, double marketCpuNsPerEvent, double writerCpuNsPerEvent,
                double processCpuNsPerEvent, double drainMillis, long gcCount, long gcMillis, long written,
                long channels) {
    }

    private final IngestStream stream;
    private final Vertx vertx;
    private final Context context;

    private MarketIngestBenchmark(IngestStream stream) {
        this.stream = stream;
        // One event loop; a pass runs as one task on it, so the blocked-thread checker must not mind.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1)));
        this.context = vertx.getOrCreateContext();
    }

    public static void main(String[] args) throws Exception {
        int commands = DEFAULT_COMMANDS;
        int passes = DEFAULT_PASSES;
        double warmupSeconds = DEFAULT_WARMUP_SECONDS;
        double msPerCommand = DEFAULT_MS_PER_COMMAND;
        List<Variant> variants = Variant.parse(DEFAULT_VARIANTS);
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--commands" -> commands = Integer.parseInt(v);
                case "--passes" -> passes = Integer.parseInt(v);
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
                case "--ms-per-command" -> msPerCommand = Double.parseDouble(v);
                case "--variants" -> variants = Variant.parse(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; allowed: --commands <n,"
                        + " a multiple of " + StreamSpec.BATCH + "> --passes <n> --warmup-seconds <s> --variants <batch[:bare],...>"
                        + " --ms-per-command <ms>");
            }
        }
        StreamSpec d = StreamSpec.fromSystemProperties();
        StreamSpec spec = new StreamSpec(d.seed(), d.symbols(), d.restingPerBook(), commands, d.settle());
        MixedStream mixed = MixedStreamGenerator.generate(EngineMode.RULES, spec);
        System.out.println(mixed.describe());
        IngestStream stream = IngestStream.build(mixed, msPerCommand);
        mixed = null; // the commands are not needed any more: only the events are replayed
        System.out.printf(Locale.ROOT, "feed: %,d events (%,d warm-up, not timed; %,d measured with %,d trades,"
                        + " %.2f trades per event), market time %.1f ms per command: the measured part spans %.0f s of"
                        + " market time over %d symbols%n",
                stream.events().length, stream.measuredFrom(), stream.measuredEvents(), stream.measuredTrades(),
                (double) stream.measuredTrades() / stream.measuredEvents(), msPerCommand,
                stream.measuredMarketSeconds(), stream.instruments().size());
        System.gc();
        MarketIngestBenchmark bench = new MarketIngestBenchmark(stream);
        try {
            for (Variant variant : variants) {
                bench.measure(variant, passes, warmupSeconds);
            }
        } finally {
            bench.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private void measure(Variant variant, int passes, double warmupSeconds) throws Exception {
        System.out.printf(Locale.ROOT, "%n== ingest, feed batches of %d events, %s: passes for %.0f s discarded (JIT),"
                + " then %d measured%n", variant.batch(), variant.allChannels() ? "stream wiring on, every channel active (no client)"
                : variant.wiring() ? "stream wiring on, no channel ever subscribed"
                : "bare: no listener (board + history writer only)", warmupSeconds, passes);
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        List<Pass> measured = new ArrayList<>();
        int discarded = 0;
        while (measured.size() < passes) {
            boolean warming = discarded == 0 || System.nanoTime() < warmupEnd;
            Pass p = pass(variant);
            if (warming) {
                discarded++;
            } else {
                measured.add(p);
            }
            System.out.printf(Locale.ROOT, "  pass%s: %,.0f events/s, %,.0f trades/s; CPU per event: market thread %.0f ns,"
                            + " history writer %.0f ns, process %.0f ns; writer drained %.0f ms after the last event;"
                            + " GC %d (%d ms); %d channels%n", warming ? " (warm-up, discarded)" : "",
                    p.eventsPerSecond, p.tradesPerSecond, p.marketCpuNsPerEvent, p.writerCpuNsPerEvent,
                    p.processCpuNsPerEvent, p.drainMillis, p.gcCount, p.gcMillis, p.channels);
        }
        Pass best = measured.get(0);
        double leastCpu = Double.MAX_VALUE;
        double leastWriter = Double.MAX_VALUE;
        double leastProcess = Double.MAX_VALUE;
        for (Pass p : measured) {
            best = p.eventsPerSecond > best.eventsPerSecond ? p : best;
            leastCpu = Math.min(leastCpu, p.marketCpuNsPerEvent);
            leastWriter = Math.min(leastWriter, p.writerCpuNsPerEvent);
            leastProcess = Math.min(leastProcess, p.processCpuNsPerEvent);
        }
        System.out.printf(Locale.ROOT, "RESULT ingest variant=%s batch=%d events_per_s=%.0f trades_per_s=%.0f cpu_ns_per_event=%.0f"
                        + " writer_cpu_ns_per_event=%.0f process_cpu_ns_per_event=%.0f ceiling_events_per_s=%.0f"
                        + " events=%d trades=%d ms_per_command=%s%n", variant, variant.batch(), best.eventsPerSecond, best.tradesPerSecond,
                leastCpu, leastWriter, leastProcess, 1e9 / leastCpu, stream.measuredEvents(), stream.measuredTrades(),
                stream.msPerCommand());
    }

    /** One fresh board: warm-up events untimed, measured events timed; then the checks. */
    private Pass pass(Variant variant) throws Exception {
        int batch = variant.batch();
        ExchangeEvent[] events = stream.events();
        MarketCalendar calendar = IngestStream.CALENDAR;
        InMemoryTimeSeriesStore store = new InMemoryTimeSeriesStore();
        MarketBoard[] boardRef = new MarketBoard[1];
        // The service's defaults (market-api.yaml): max_buffered 1 000 000, max_batch 5 000, flush 200 ms.
        HistoryWriter writer = new HistoryWriter(store, 1_000_000, 5_000, 200, (shard, seq) -> boardRef[0].stored(shard, seq));
        Thread writerThread = findThread(WRITER_THREAD);
        long writerCpu0 = writerThread == null ? 0 : THREADS.getThreadCpuTime(writerThread.getId());
        CompletableFuture<long[]> done = new CompletableFuture<>();
        long[] gc0 = gc();
        long process0 = processCpuNanos();
        context.runOnContext(v -> {
            try {
                ArrayDeque<Runnable> deferred = new ArrayDeque<>();
                MarketBoard board = new MarketBoard(stream.instruments(), calendar, IngestStream.RECENT_MINUTE_BARS,
                        1_000, writer, 20, deferred::add);
                boardRef[0] = board;
                stream.prime(board);
                board.startAt(0, 0);
                StreamWiring wiring = new StreamWiring(vertx, board, new StreamWiring.Options(StreamOptions.defaults()
                        .withRetention(new RetentionOptions(2_000, 60_000)), plan -> 50));
                if (variant.wiring()) {
                    board.setListener(wiring);
                }
                if (variant.allChannels()) {
                    // Opens every channel's log as a first subscription would (one placeholder message each).
                    for (org.opentrade.market.domain.Instrument i : stream.instruments()) {
                        for (String kind : List.of("trades:", "quotes:", "depth:")) {
                            wiring.streams().publish(kind + i.symbol(), new io.vertx.core.json.JsonObject());
                        }
                        for (org.opentrade.market.domain.Interval iv : org.opentrade.market.domain.Interval.values()) {
                            wiring.streams().publish("klines:" + iv.code() + ":" + i.symbol(), new io.vertx.core.json.JsonObject());
                        }
                    }
                }
                apply(board, deferred, events, 0, stream.measuredFrom(), batch);
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                apply(board, deferred, events, stream.measuredFrom(), events.length, batch);
                long t1 = System.nanoTime();
                long cpu1 = THREADS.getCurrentThreadCpuTime();
                long channels = wiring.streams().stats().channels();
                wiring.close();
                if (board.eventsApplied() != events.length
                        || board.tradesApplied() != stream.warmupTrades() + stream.measuredTrades()) {
                    throw new IllegalStateException("the board applied " + board.eventsApplied() + " events and "
                            + board.tradesApplied() + " trades, the stream has " + events.length + " and "
                            + (stream.warmupTrades() + stream.measuredTrades()));
                }
                done.complete(new long[] {t1 - t0, cpu1 - cpu0, t1, channels});
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        long[] r = done.get(10, TimeUnit.MINUTES);
        // The writer thread runs beside the market thread; wait until it has written everything handed over.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (writer.buffered() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1); // polling the writer's queue, not waiting out a fixed time
        }
        long drained = System.nanoTime();
        long writerCpu = writerThread == null ? 0 : THREADS.getThreadCpuTime(writerThread.getId()) - writerCpu0;
        long process = processCpuNanos() - process0;
        long[] gc1 = gc();
        writer.close();
        long totalTrades = stream.warmupTrades() + stream.measuredTrades();
        if (writer.dropped() != 0 || writer.written() < totalTrades) {
            throw new IllegalStateException("history writer dropped " + writer.dropped() + " items and wrote "
                    + writer.written() + " for " + totalTrades + " trades");
        }
        double n = stream.measuredEvents();
        return new Pass(n * 1e9 / r[0], stream.measuredTrades() * 1e9 / r[0], r[1] / n, writerCpu / (double) events.length,
                process / (double) events.length, Math.max(0, drained - r[2]) / 1e6, gc1[0] - gc0[0], gc1[1] - gc0[1],
                writer.written(), r[3]);
    }

    /** Events [from, to) in feed batches of {@code batch}; the board's deferred work after each, as on the context. */
    private static void apply(MarketBoard board, ArrayDeque<Runnable> deferred, ExchangeEvent[] events, int from, int to,
                              int batch) {
        for (int i = from; i < to; ) {
            int end = Math.min(to, i + batch);
            for (; i < end; i++) {
                board.onEvent(events[i]);
            }
            Runnable task;
            while ((task = deferred.poll()) != null) {
                task.run();
            }
        }
    }

    private static Thread findThread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) && t.isAlive()) {
                return t;
            }
        }
        return null;
    }

    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
