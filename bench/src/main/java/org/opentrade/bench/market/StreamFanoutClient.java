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
 * own API key (plan {@code pro}: the per-key subscription limit is per key, as for 1 000 real users),
 * signed with the server's key file; each subscribes to {@code trades:<symbol>}. Then:
 *
 * <ol>
 *   <li>heap per idle client: the server's heap in use after {@code System.gc()} with every client
 *       connected and subscribed and no trade flowing, minus the same before the first connection;</li>
 *   <li>latency: the server drives {@code --rate} trades per second; every trade frame a client receives
 *       is timed as receive time (wall clock, µs) − the trade's {@code time} (the exchange's clock when it
 *       read the command, ms: the figure is up to 1 ms high, 0.5 ms on average); frames of trades stamped
 *       in the first {@code --warmup-seconds} are not recorded, those of the next {@code --seconds} are,
 *       whenever they arrive (the run waits 3 s after the window for stragglers), in one HdrHistogram over
 *       all clients. Each connection's seqs must be gap-free; the frames expected are the window's trades
 *       × clients.</li>
 * </ol>
 * Everything of the clients runs on one Vert.x event loop (the client JVM is pinned to one core), so the
 * client's own time per frame is in the figure: its CPU is printed.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.market.StreamFanoutClient --market-port P --control-port C \
 *   --key-file out/identity.pem [--clients 1000] [--symbol 600519.SH] [--rate 100] [--warmup-seconds 10]
 *   [--seconds 60]
 * </pre>
 * Prints {@code RESULT fanout clients=… p50=… p99=… (µs) heap_per_client_bytes=…} for scripts.
 */
public final class StreamFanoutClient {
    private static final long MAX_TRACKABLE_US = TimeUnit.SECONDS.toMicros(60);
    private static final int CONNECT_PARALLEL = 32;
    private static final long DRAIN_MS = 3_000;

    /** One client connection's counters; event loop only. */
    private static final class Conn {
        long lastSeq = -1;
        long gaps;
        boolean subscribed;
    }

    private final Context loop;
    private final CountDownLatch subscribed;
    private final Histogram latency = new Histogram(MAX_TRACKABLE_US, 3);
    private volatile long windowStartMs = Long.MAX_VALUE;
    private volatile long windowEndMs = Long.MAX_VALUE;
    // event loop only
    private long received;
    private long inWindow;
    private long minSeq = Long.MAX_VALUE;
    private long maxSeq = -1;
    private long gaps;
    private long negative;
    private long errors;
    private String firstError;
    /** Largest latency (µs) of each second of the window, by the trade's time: shows whether tails are periodic. */
    private long[] secondMax = new long[0];

    private StreamFanoutClient(Context loop, int clients) {
        this.loop = loop;
        this.subscribed = new CountDownLatch(clients);
    }

    public static void main(String[] args) throws Exception {
        int marketPort = -1;
        int controlPort = -1;
        Path keyFile = null;
        int clients = 1000;
        String symbol = "600519.SH";
        double rate = 100;
        int warmup = 10;
        int seconds = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--market-port" -> marketPort = Integer.parseInt(args[++i]);
                case "--control-port" -> controlPort = Integer.parseInt(args[++i]);
                case "--key-file" -> keyFile = Path.of(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--symbol" -> symbol = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (marketPort < 0 || controlPort < 0 || keyFile == null || clients < 1 || seconds < 1) {
            throw new IllegalArgumentException("usage: StreamFanoutClient --market-port P --control-port C --key-file F"
                    + " [--clients N] [--symbol S] [--rate R] [--warmup-seconds W] [--seconds S]");
        }
        Control control = new Control(controlPort);
        BenchAssertions signer = BenchAssertions.fromKeyFile(keyFile);
        Duration ttl = Duration.ofSeconds(warmup + seconds + 600L);
        List<String> tokens = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            tokens.add(signer.sign(String.format(Locale.ROOT, "dev_fanout_%04d", i),
                    String.format(Locale.ROOT, "otk_fanout_%04d", i), "pro", ttl));
        }

        JsonObject base = control.get("/heap");
        System.out.printf(Locale.ROOT, "server heap in use after GC, no client: %.1f MiB%n", base.getLong("heap_used") / 1048576.0);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        StreamFanoutClient client = new StreamFanoutClient(vertx.getOrCreateContext(), clients);
        WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 16)
                .setConnectTimeout(30_000));
        long t0 = System.nanoTime();
        client.connectAll(ws, marketPort, tokens, symbol);
        if (!client.subscribed.await(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException((clients - client.subscribed.getCount()) + " of " + clients
                    + " clients subscribed within 180 s; first error: " + client.firstError);
        }
        System.out.printf(Locale.ROOT, "%d clients connected and subscribed to trades:%s in %.1f s%n", clients, symbol,
                (System.nanoTime() - t0) / 1e9);

        JsonObject idle = control.get("/heap");
        long perClient = (idle.getLong("heap_used") - base.getLong("heap_used")) / clients;
        System.out.printf(Locale.ROOT, "server heap in use after GC, %d idle clients: %.1f MiB (%d connections, %d"
                        + " subscriptions): %,d bytes per idle client%n", clients, idle.getLong("heap_used") / 1048576.0,
                idle.getLong("market_stream_connections", -1L), idle.getLong("market_stream_subscriptions", -1L), perClient);

        long now = System.currentTimeMillis();
        client.windowStartMs = now + warmup * 1000L;
        client.windowEndMs = client.windowStartMs + seconds * 1000L;
        client.secondMax = new long[seconds];
        control.post("/drive?rate=" + rate);
        System.out.printf(Locale.ROOT, "driving %.0f trades/s: %d s warm-up, then %d s measured%n", rate, warmup, seconds);
        sleepUntil(client.windowStartMs);
        long cpuStart = processCpuNanos();
        long serverCpuStart = control.get("/cpu").getLong("process_cpu_ns");
        sleepUntil(client.windowEndMs);
        long cpuEnd = processCpuNanos();
        long serverCpuEnd = control.get("/cpu").getLong("process_cpu_ns");
        JsonObject stopped = control.post("/stop");
        Thread.sleep(DRAIN_MS); // stragglers of the window's last trades may still be on the way
        Result r = client.snapshot();
        JsonObject after = control.get("/heap");
        long trades = r.maxSeq >= r.minSeq ? r.maxSeq - r.minSeq + 1 : 0;
        long expected = trades * clients;
        double clientCpuPerFrame = r.inWindow == 0 ? 0 : (cpuEnd - cpuStart) / (double) r.inWindow;
        System.out.printf(Locale.ROOT, "trades driven: %d (%d commands rejected); in the window: %d trades, %,d frames"
                        + " received of %,d expected (%d missing), %d seq gaps, %d error frames%s%n",
                stopped.getLong("trades"), stopped.getLong("rejected"), trades, r.inWindow, expected, expected - r.inWindow,
                r.gaps, r.errors, r.firstError == null ? "" : " (first: " + r.firstError + ")");
        System.out.printf(Locale.ROOT, "publish-to-receive (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f"
                        + " (%d frames; %d received before their trade time)%n", pct(r.latency, 50), pct(r.latency, 90),
                pct(r.latency, 99), pct(r.latency, 99.9), (double) r.latency.getMaxValue(), r.latency.getTotalCount(),
                r.negative);
        StringBuilder perSecond = new StringBuilder();
        for (long m : r.secondMax) {
            perSecond.append(' ').append(m / 1000);
        }
        System.out.printf(Locale.ROOT, "largest latency of each second of the window (ms):%s%n", perSecond);
        System.out.printf(Locale.ROOT, "server stream counters after: %s%n", after.encode());
        double serverCpuPerFrame = r.inWindow == 0 ? 0 : (serverCpuEnd - serverCpuStart) / (double) r.inWindow;
        System.out.printf(Locale.ROOT, "client process CPU: %.1f us per frame in the window (%.0f %% of a core); server"
                        + " process: %.1f us per frame (%.0f %% of a core)%n", clientCpuPerFrame / 1e3,
                100.0 * (cpuEnd - cpuStart) / (seconds * 1e9), serverCpuPerFrame / 1e3,
                100.0 * (serverCpuEnd - serverCpuStart) / (seconds * 1e9));
        System.out.printf(Locale.ROOT, "RESULT fanout clients=%d rate=%.0f trades=%d frames=%d expected=%d gaps=%d p50=%.0f"
                        + " p90=%.0f p99=%.0f p999=%.0f max=%d heap_per_client_bytes=%d heap_idle_mib=%.1f heap_base_mib=%.1f"
                        + " slow_consumers_dropped=%d client_cpu_us_per_frame=%.1f server_cpu_us_per_frame=%.1f"
                        + " server_cpu_share=%.0f%n", clients, rate, trades,
                r.inWindow, expected, r.gaps, pct(r.latency, 50), pct(r.latency, 90), pct(r.latency, 99),
                pct(r.latency, 99.9), r.latency.getMaxValue(), perClient, idle.getLong("heap_used") / 1048576.0,
                base.getLong("heap_used") / 1048576.0, after.getLong("market_stream_slow_consumers_dropped_total", -1L),
                clientCpuPerFrame / 1e3, serverCpuPerFrame / 1e3,
                100.0 * (serverCpuEnd - serverCpuStart) / (seconds * 1e9));
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.exit(0);
    }

    /** Opens the connections, at most {@link #CONNECT_PARALLEL} upgrades at a time; on the event loop. */
    private void connectAll(WebSocketClient ws, int port, List<String> tokens, String symbol) {
        String subscribe = new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("trades:" + symbol))
                .encode();
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
                    WebSocket s = ar.result();
                    Conn c = new Conn();
                    s.textMessageHandler(text -> onFrame(c, text));
                    s.closeHandler(v -> {
                        if (!c.subscribed || windowEndMs == Long.MAX_VALUE || System.currentTimeMillis() < windowEndMs) {
                            error("connection closed by the server");
                        }
                    });
                    s.writeTextMessage(subscribe);
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

    private void onFrame(Conn c, String text) {
        if (TradeFrames.isTrade(text)) {
            long seq = TradeFrames.seq(text);
            if (c.lastSeq >= 0 && seq != c.lastSeq + 1) {
                gaps++;
            }
            c.lastSeq = seq;
            received++;
            long time = TradeFrames.timeMillis(text);
            if (time >= windowStartMs && time < windowEndMs) {
                Instant now = Instant.now();
                long us = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000 - time * 1_000;
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
        } else if (text.contains("\"type\":\"subscribed\"")) {
            if (!c.subscribed) {
                c.subscribed = true;
                subscribed.countDown();
            }
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

    /** The counters, read on the event loop. */
    private record Result(Histogram latency, long inWindow, long minSeq, long maxSeq, long gaps, long negative,
                          long errors, String firstError, long[] secondMax) {
    }

    private Result snapshot() throws Exception {
        CompletableFuture<Result> f = new CompletableFuture<>();
        loop.runOnContext(v -> f.complete(new Result(latency.copy(), inWindow, minSeq, maxSeq, gaps, negative, errors,
                firstError, secondMax.clone())));
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
