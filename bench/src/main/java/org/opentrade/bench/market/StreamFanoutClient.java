package org.opentrade.bench.market;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.opentrade.common.identity.IdentityAssertions;

/**
 * The client side of the WebSocket fan-out benchmark (see {@link StreamFanoutServer}): opens {@code
 * --clients} WebSockets straight to market-api's {@code /v1/stream/market}, each with an assertion of its
 * own API key (plan {@code pro}: the subscription limit is per key, as for 1 000 real users), signed with
 * the server's key file; each subscribes to {@code trades:<symbol>}. Then:
 *
 * <ol>
 *   <li>heap per idle client: the server's heap in use after {@code System.gc()} with every client
 *       connected and subscribed and no trade flowing, minus the same before the first connection;</li>
 *   <li>latency, in steps of subscribed clients ({@code --steps 100,1000}; the others stay connected but
 *       unsubscribed, which costs the server a heartbeat every 10 s): the server drives {@code --rate}
 *       trades per second; every trade frame a subscribed client receives is timed as receive time (wall
 *       clock, µs) − the trade's {@code time} (the exchange's clock when it read the command, ms: the figure
 *       is up to 1 ms high, 0.5 ms on average). Per step, frames of trades stamped in the first {@code
 *       --warmup-seconds} after the subscriptions changed are not recorded, those of the next {@code
 *       --seconds} are, whenever they arrive (3 s are allowed for stragglers), in one HdrHistogram over the
 *       step's clients. Each subscription's seqs must be gap-free; the frames expected are the window's
 *       trades × the step's clients. Each frame is also timed from when its trade was due at the server's
 *       driver (the driver's schedule and the trade's channel seq say when: coordinated omission corrected,
 *       so a backlog in front of the exchange, which delays the trade's own stamp, is counted too). Both
 *       processes' CPU per frame is printed: whichever is near a whole core is what limits the step.</li>
 * </ol>
 * Everything of the clients runs on one Vert.x event loop (the client JVM is pinned to one core).
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.market.StreamFanoutClient --market-port P --control-port C \
 *   --key-file out/identity.pem [--clients 1000] [--steps 100,1000] [--symbol 600519.SH] [--rate 100]
 *   [--warmup-seconds 10] [--seconds 30]
 * </pre>
 * Prints one {@code RESULT fanout clients=… p50=… p99=… (µs) heap_per_client_bytes=…} line per step.
 */
public final class StreamFanoutClient {
    private static final long MAX_TRACKABLE_US = TimeUnit.SECONDS.toMicros(60);
    private static final int CONNECT_PARALLEL = 32;
    private static final long DRAIN_MS = 3_000;

    /** One client connection; event loop only. */
    private final class Conn {
        final WebSocket ws;
        long lastSeq = -1;
        boolean subscribed;
        /** Counted in the current step (subscribed for it). */
        boolean active;

        Conn(WebSocket ws) {
            this.ws = ws;
        }
    }

    private final Context loop;
    private final List<Conn> conns = new ArrayList<>();
    private volatile CountDownLatch acks;
    private volatile long windowStartMs = Long.MAX_VALUE;
    private volatile long windowEndMs = Long.MAX_VALUE;
    /** When trade i was due at the driver (wall clock, µs) and its channel seq: start + i × period, base + i. */
    private volatile long driveStartUs;
    private volatile long drivePeriodNs;
    private volatile long driveSeqBase;
    // event loop only, reset per step
    private Histogram latency = new Histogram(MAX_TRACKABLE_US, 3);
    private Histogram fromDue = new Histogram(MAX_TRACKABLE_US, 3);
    private long stampLagMinUs;
    private long stampLagMaxUs;
    /** Channel seqs of the trades due in the step's window (by the driver's schedule), and frames of them received. */
    private long firstDueSeq = Long.MAX_VALUE;
    private long lastDueSeq = Long.MIN_VALUE;
    private long dueReceived;
    private long inWindow;
    private long minSeq;
    private long maxSeq;
    private long gaps;
    private long negative;
    private long[] secondMax = new long[0];
    // event loop only, whole run
    private long errors;
    private String firstError;

    private StreamFanoutClient(Context loop) {
        this.loop = loop;
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int marketPort = -1;
        int controlPort = -1;
        Path keyFile = null;
        int clients = 1000;
        List<Integer> steps = null;
        String symbol = "600519.SH";
        double rate = 100;
        int warmup = 10;
        int seconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--market-port" -> marketPort = Integer.parseInt(args[++i]);
                case "--control-port" -> controlPort = Integer.parseInt(args[++i]);
                case "--key-file" -> keyFile = Path.of(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--steps" -> {
                    steps = new ArrayList<>();
                    for (String s : args[++i].split(",")) {
                        steps.add(Integer.parseInt(s.strip()));
                    }
                }
                case "--symbol" -> symbol = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (steps == null) {
            steps = List.of(clients);
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) < 1 || steps.get(i) > clients || (i > 0 && steps.get(i) <= steps.get(i - 1))) {
                throw new IllegalArgumentException("--steps must ascend within 1.." + clients + ", got " + steps);
            }
        }
        if (marketPort < 0 || controlPort < 0 || keyFile == null || clients < 1 || seconds < 1) {
            throw new IllegalArgumentException("usage: StreamFanoutClient --market-port P --control-port C --key-file F"
                    + " [--clients N] [--steps a,b] [--symbol S] [--rate R] [--warmup-seconds W] [--seconds S]");
        }
        Control control = new Control(controlPort);
        BenchAssertions signer = BenchAssertions.fromKeyFile(keyFile);
        Duration ttl = Duration.ofSeconds(steps.size() * (warmup + seconds + 10L) + 600L);
        List<String> tokens = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            tokens.add(signer.sign(String.format(Locale.ROOT, "dev_fanout_%04d", i),
                    String.format(Locale.ROOT, "otk_fanout_%04d", i), "pro", ttl));
        }

        JsonObject base = control.get("/heap");
        System.out.printf(Locale.ROOT, "server heap in use after GC, no client: %.1f MiB%n", base.getLong("heap_used") / 1048576.0);

        Vertx vertx = FanoutTransport.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        StreamFanoutClient client = new StreamFanoutClient(vertx.getOrCreateContext());
        WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 16)
                .setConnectTimeout(30_000));
        String channel = "trades:" + symbol;
        long t0 = System.nanoTime();
        client.acks = new CountDownLatch(clients);
        client.connectAll(ws, marketPort, tokens, channel);
        client.awaitAcks(clients, "subscribed");
        System.out.printf(Locale.ROOT, "%d clients connected and subscribed to %s in %.1f s%n", clients, channel,
                (System.nanoTime() - t0) / 1e9);

        JsonObject idle = control.get("/heap");
        long perClient = (idle.getLong("heap_used") - base.getLong("heap_used")) / clients;
        System.out.printf(Locale.ROOT, "server heap in use after GC, %d idle clients: %.1f MiB (%d connections, %d"
                        + " subscriptions): %,d bytes per idle client%n", clients, idle.getLong("heap_used") / 1048576.0,
                idle.getLong("market_stream_connections", -1L), idle.getLong("market_stream_subscriptions", -1L), perClient);

        int subscribedNow = clients;
        JsonObject drive = control.post("/drive?rate=" + rate);
        client.driveStartUs = drive.getLong("start_epoch_us");
        client.drivePeriodNs = drive.getLong("period_ns");
        client.driveSeqBase = drive.getLong("seq_base");
        try {
            for (int step : steps) {
                client.resubscribe(subscribedNow, step, channel);
                subscribedNow = step;
                long now = System.currentTimeMillis();
                long start = now + warmup * 1000L;
                long end = start + seconds * 1000L;
                client.resetStep(start, end, seconds);
                System.out.printf(Locale.ROOT, "%n== %d subscribed clients, %.0f trades/s: %d s warm-up, then %d s measured%n",
                        step, rate, warmup, seconds);
                sleepUntil(start);
                long cpuStart = processCpuNanos();
                long serverCpuStart = control.get("/cpu").getLong("process_cpu_ns");
                sleepUntil(end);
                long cpuEnd = processCpuNanos();
                long serverCpuEnd = control.get("/cpu").getLong("process_cpu_ns");
                Thread.sleep(DRAIN_MS); // stragglers of the window's last trades may still be on the way
                Step r = client.snapshot();
                JsonObject metrics = control.get("/metrics.json");
                report(step, rate, seconds, r, (cpuEnd - cpuStart) / 1e9, (serverCpuEnd - serverCpuStart) / 1e9, metrics,
                        perClient, idle, base);
            }
        } finally {
            JsonObject stopped = control.post("/stop");
            System.out.printf(Locale.ROOT, "%ntrades driven in all: %d (%d commands rejected); error frames or"
                    + " connections closed by the server: %d%s%n", stopped.getLong("trades"), stopped.getLong("rejected"),
                    client.errors, client.firstError == null ? "" : " (first: " + client.firstError + ")");
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void report(int clients, double rate, int seconds, Step r, double clientCpu, double serverCpu,
                               JsonObject metrics, long perClient, JsonObject idle, JsonObject base) {
        long trades = r.maxSeq >= r.minSeq ? r.maxSeq - r.minSeq + 1 : 0;
        long expected = trades * clients;
        double clientUs = r.inWindow == 0 ? 0 : clientCpu * 1e6 / r.inWindow;
        double serverUs = r.inWindow == 0 ? 0 : serverCpu * 1e6 / r.inWindow;
        System.out.printf(Locale.ROOT, "trades stamped in the window and received: %d trades, %,d frames (%d seq gaps);"
                        + " trades due in the window: %d, %,d frames expected, %,d received, %,d not received by the end%n",
                trades, r.inWindow, r.gaps, r.dueTrades, r.dueExpected, r.dueReceived, r.unfinished);
        System.out.printf(Locale.ROOT, "publish-to-receive (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %d"
                        + " (%d frames; %d received before their trade time)%n", pct(r.latency, 50), pct(r.latency, 90),
                pct(r.latency, 99), pct(r.latency, 99.9), r.latency.getMaxValue(), r.latency.getTotalCount(), r.negative);
        System.out.printf(Locale.ROOT, "from when each trade was due at the driver (us, coordinated omission"
                        + " corrected, frames not received counted with their wait so far): p50 %.0f  p90 %.0f  p99 %.0f"
                        + "  p99.9 %.0f  max %d; the exchange stamped trades %.1f to %.1f ms after they were due%n", pct(r.fromDue, 50), pct(r.fromDue, 90), pct(r.fromDue, 99),
                pct(r.fromDue, 99.9), r.fromDue.getMaxValue(), r.stampLagMinUs / 1e3, r.stampLagMaxUs / 1e3);
        StringBuilder perSecond = new StringBuilder();
        for (long m : r.secondMax) {
            perSecond.append(' ').append(m / 1000);
        }
        System.out.printf(Locale.ROOT, "largest latency of each second of the window (ms):%s%n", perSecond);
        System.out.printf(Locale.ROOT, "CPU per frame received: client %.1f us (%.0f %% of a core), server %.1f us (%.0f %%"
                        + " of a core: exchange, feed, market-api, fan-out)%n", clientUs, 100 * clientCpu / seconds,
                serverUs, 100 * serverCpu / seconds);
        System.out.printf(Locale.ROOT, "server stream counters: %s%n", metrics.encode());
        System.out.printf(Locale.ROOT, "RESULT fanout clients=%d rate=%.0f trades=%d frames=%d expected=%d gaps=%d p50=%.0f"
                        + " p90=%.0f p99=%.0f p999=%.0f max=%d heap_per_client_bytes=%d heap_idle_mib=%.1f heap_base_mib=%.1f"
                        + " slow_consumers=%d slow_consumers_dropped=%d client_cpu_us_per_frame=%.1f client_cpu_share=%.0f"
                        + " server_cpu_us_per_frame=%.1f server_cpu_share=%.0f due_p50=%.0f due_p99=%.0f due_p999=%.0f"
                        + " due_max=%d stamp_lag_max_us=%d due_trades=%d due_expected=%d due_received=%d unfinished=%d%n",
                clients, rate, trades, r.inWindow, expected, r.gaps, pct(r.latency, 50), pct(r.latency, 90), pct(r.latency, 99), pct(r.latency, 99.9),
                r.latency.getMaxValue(), perClient, idle.getLong("heap_used") / 1048576.0,
                base.getLong("heap_used") / 1048576.0, metrics.getLong("market_stream_slow_consumers_total", -1L),
                metrics.getLong("market_stream_slow_consumers_dropped_total", -1L), clientUs, 100 * clientCpu / seconds,
                serverUs, 100 * serverCpu / seconds, pct(r.fromDue, 50), pct(r.fromDue, 99), pct(r.fromDue, 99.9),
                r.fromDue.getMaxValue(), r.stampLagMaxUs, r.dueTrades, r.dueExpected, r.dueReceived, r.unfinished);
    }

    /** Opens the connections, at most {@link #CONNECT_PARALLEL} upgrades at a time; each subscribes once open. */
    private void connectAll(WebSocketClient ws, int port, List<String> tokens, String channel) {
        String subscribe = frame("subscribe", channel);
        int[] next = {0};
        Runnable[] connectNext = new Runnable[1];
        connectNext[0] = () -> {
            if (next[0] >= tokens.size()) {
                return;
            }
            String token = tokens.get(next[0]++);
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                    .setURI("/v1/stream/market").addHeader(IdentityAssertions.HEADER, token);
            ws.connect(o).onComplete(ar -> {
                if (ar.succeeded()) {
                    Conn c = new Conn(ar.result());
                    conns.add(c);
                    c.ws.textMessageHandler(text -> onFrame(c, text));
                    c.ws.closeHandler(v -> error("a connection was closed by the server"));
                    c.subscribed = true;
                    c.ws.writeTextMessage(subscribe);
                } else {
                    error("connect failed: " + ar.cause());
                }
                connectNext[0].run();
            });
        };
        loop.runOnContext(v -> {
            for (int i = 0; i < CONNECT_PARALLEL; i++) {
                connectNext[0].run();
            }
        });
    }

    /** Makes exactly the first {@code to} connections subscribed (they were the first {@code from}). */
    private void resubscribe(int from, int to, String channel) throws Exception {
        if (from == to) {
            return;
        }
        int changes = Math.abs(to - from);
        acks = new CountDownLatch(changes);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        loop.runOnContext(v -> {
            String sub = frame("subscribe", channel);
            String unsub = frame("unsubscribe", channel);
            for (int i = Math.min(from, to); i < Math.max(from, to); i++) {
                Conn c = conns.get(i);
                c.subscribed = to > from;
                c.lastSeq = -1;
                c.ws.writeTextMessage(to > from ? sub : unsub);
            }
            sent.complete(null);
        });
        sent.get(30, TimeUnit.SECONDS);
        awaitAcks(changes, to > from ? "subscribed" : "unsubscribed");
    }

    private void awaitAcks(int expected, String what) throws InterruptedException {
        if (!acks.await(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException((expected - acks.getCount()) + " of " + expected + " clients " + what
                    + " within 180 s; first error: " + firstError);
        }
    }

    private static String frame(String op, String channel) {
        return new JsonObject().put("op", op).put("channels", new JsonArray().add(channel)).encode();
    }

    private void onFrame(Conn c, String text) {
        if (TradeFrames.isTrade(text)) {
            if (!c.active) {
                return; // in flight before an unsubscribe, or before the step began
            }
            long seq = TradeFrames.seq(text);
            if (c.lastSeq >= 0 && seq != c.lastSeq + 1) {
                gaps++;
            }
            c.lastSeq = seq;
            long time = TradeFrames.timeMillis(text);
            Instant now = Instant.now();
            long nowUs = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            if (time >= windowStartMs && time < windowEndMs) {
                long us = nowUs - time * 1_000;
                if (us < 0) {
                    negative++;
                }
                latency.recordValue(Math.max(0, Math.min(MAX_TRACKABLE_US, us)));
                int second = (int) ((time - windowStartMs) / 1000);
                if (second < secondMax.length) {
                    secondMax[second] = Math.max(secondMax[second], us);
                }
                inWindow++;
                minSeq = Math.min(minSeq, seq);
                maxSeq = Math.max(maxSeq, seq);
            }
            if (seq >= firstDueSeq && seq <= lastDueSeq) {
                long dueUs = dueUs(seq);
                fromDue.recordValue(Math.max(0, Math.min(MAX_TRACKABLE_US, nowUs - dueUs)));
                stampLagMinUs = Math.min(stampLagMinUs, time * 1_000 - dueUs);
                stampLagMaxUs = Math.max(stampLagMaxUs, time * 1_000 - dueUs);
                dueReceived++;
            }
        } else if (text.contains("\"type\":\"subscribed\"") || text.contains("\"type\":\"unsubscribed\"")) {
            acks.countDown();
        } else if (text.contains("\"type\":\"error\"")) {
            error(text.length() > 300 ? text.substring(0, 300) : text);
        }
    }

    private void error(String what) {
        errors++;
        if (firstError == null) {
            firstError = what;
        }
    }

    /** Starts a step: counters reset, the subscribed connections counted from their next frame. */
    private void resetStep(long startMs, long endMs, int seconds) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.runOnContext(v -> {
            latency = new Histogram(MAX_TRACKABLE_US, 3);
            fromDue = new Histogram(MAX_TRACKABLE_US, 3);
            stampLagMinUs = Long.MAX_VALUE;
            stampLagMaxUs = Long.MIN_VALUE;
            dueReceived = 0;
            long periodUs = drivePeriodNs / 1_000;
            firstDueSeq = driveSeqBase + Math.max(0, ceilDiv(startMs * 1_000 - driveStartUs, periodUs));
            lastDueSeq = driveSeqBase + ceilDiv(endMs * 1_000 - driveStartUs, periodUs) - 1;
            inWindow = 0;
            minSeq = Long.MAX_VALUE;
            maxSeq = -1;
            gaps = 0;
            negative = 0;
            secondMax = new long[seconds];
            for (Conn c : conns) {
                c.active = c.subscribed;
            }
            windowStartMs = startMs;
            windowEndMs = endMs;
            done.complete(null);
        });
        done.get(30, TimeUnit.SECONDS);
    }

    /** One step's counters, read on the event loop. */
    /**
     * One step's counters, read on the event loop. {@code fromDue} also holds, for every frame of a trade due in
     * the window that a subscribed client had not received by then, the time it had waited so far ({@code
     * unfinished} of them), as an open-loop load generator counts unanswered requests.
     */
    private record Step(Histogram latency, Histogram fromDue, long stampLagMinUs, long stampLagMaxUs, long inWindow,
                        long minSeq, long maxSeq, long gaps, long negative, long[] secondMax, long dueTrades,
                        long dueExpected, long dueReceived, long unfinished) {
    }

    private long dueUs(long seq) {
        return driveStartUs + (seq - driveSeqBase) * drivePeriodNs / 1_000;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private Step snapshot() throws Exception {
        CompletableFuture<Step> f = new CompletableFuture<>();
        loop.runOnContext(v -> {
            Histogram due = fromDue.copy();
            Instant now = Instant.now();
            long nowUs = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            long unfinished = 0;
            long clients = 0;
            for (Conn c : conns) {
                if (!c.active) {
                    continue;
                }
                clients++;
                for (long seq = Math.max(firstDueSeq, c.lastSeq + 1); seq <= lastDueSeq; seq++) {
                    due.recordValue(Math.max(0, Math.min(MAX_TRACKABLE_US, nowUs - dueUs(seq))));
                    unfinished++;
                }
            }
            long dueTrades = Math.max(0, lastDueSeq - firstDueSeq + 1);
            f.complete(new Step(latency.copy(), due, stampLagMinUs, stampLagMaxUs, inWindow, minSeq, maxSeq, gaps,
                    negative, secondMax.clone(), dueTrades, dueTrades * clients, dueReceived, unfinished));
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    private static double pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long wait;
        while ((wait = epochMs - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(wait, 500)); // the driver, not a test: waiting out the phase
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** The server's control endpoints (loopback HTTP). */
    private static final class Control {
        private final HttpClient http = HttpClient.newHttpClient();
        private final int port;

        Control(int port) {
            this.port = port;
        }

        JsonObject get(String path) throws Exception {
            return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET().build());
        }

        JsonObject post(String path) throws Exception {
            return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private JsonObject send(HttpRequest request) throws Exception {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
            return new JsonObject(r.body());
        }
    }
}
