package org.opentrade.bench.trade;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Order → fill on the order stream: one client, subscribed to {@code /v1/stream/orders} through the
 * gateway (WebSocket, {@code X-API-Key}/{@code X-API-Secret} at the upgrade), places marketable orders
 * at a fixed rate and records, per order, when its first {@code fill} frame arrives.
 *
 * <p><b>Orders.</b> IOC limit orders of one lot that cross the simulator's quotes
 * ({@link BenchSymbol#crossingBuy}/{@link BenchSymbol#crossingSell}): buy symbol <i>s</i>, sell <i>s</i>,
 * buy the next symbol, … so the position stays where it started. Sells need shares (no short selling):
 * before the measured orders the client buys {@code --position} shares of each symbol and waits until
 * {@code GET /v1/positions} shows them. An IOC that meets no liquidity ends canceled without a fill: it is
 * counted ("unfilled") and left out of the fill percentiles.
 *
 * <p><b>Timing.</b> A pacer thread wakes at each order's due time ({@code start + i / rate}) and hands it to
 * the client's one event loop, which sends the POST and also receives the stream, so all bookkeeping is on
 * that thread. Reported: fill frame from the intended send time (coordinated-omission corrected, the
 * headline), from the actual send, and the 201 from the intended send; how many fills arrived before their
 * order's 201. HdrHistogram, microseconds.
 *
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.trade.OrderFillLatency --gateway http://127.0.0.1:18390 \
 *   --keys fill-key.txt --symbols symbols.txt --rate 200 --seconds 30 --warmup-seconds 5
 * </pre>
 * Prints a {@code RESULT fill name=... p50=... p99=...} line for scripts; exits 1 when more than 5 % of the
 * measured orders got no fill or any was refused.
 */
public final class OrderFillLatency {
    private static final long MAX_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Vertx vertx;
    private final Context ctx;
    private final HttpClient http;
    /** Held: Vert.x closes a client nothing references any more, its connections with it. */
    private final WebSocketClient wsClient;
    private final URI gateway;
    private final BenchKey key;
    private final String prefix;
    private final List<BenchSymbol> symbols;
    private final int qty;
    // per order, on the event loop only
    private long[] intended;
    private long[] sent;
    private long[] acked;
    private long[] filled;
    private boolean[] unfilled;
    private boolean[] refused;
    private int frames;
    private String firstRefusal;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    private OrderFillLatency(URI gateway, BenchKey key, List<BenchSymbol> symbols, int qty, String prefix) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.ctx = vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(gateway.getHost())
                .setDefaultPort(gateway.getPort()).setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(16));
        this.wsClient = vertx.createWebSocketClient();
        this.gateway = gateway;
        this.key = key;
        this.symbols = symbols;
        this.qty = qty;
        this.prefix = prefix;
    }

    public static void main(String[] args) throws Exception {
        String gateway = null;
        Path keysFile = null;
        Path symbolsFile = null;
        String name = "fills";
        String prefix = "f-";
        double rate = 200;
        int seconds = 30;
        int warmup = 5;
        int maxSymbols = 8;
        int position = 500;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway" -> gateway = args[++i];
                case "--keys" -> keysFile = Path.of(args[++i]);
                case "--symbols" -> symbolsFile = Path.of(args[++i]);
                case "--name" -> name = args[++i];
                case "--id-prefix" -> prefix = args[++i];
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--max-symbols" -> maxSymbols = Integer.parseInt(args[++i]);
                case "--position" -> position = Integer.parseInt(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (gateway == null || keysFile == null || symbolsFile == null || !(rate > 0) || seconds < 1) {
            usage("--gateway, --keys and --symbols are required; --rate and --seconds positive");
        }
        // cheap, deep symbols: the simulator shows ~300 000 yuan per level, so one lot is a small part of it
        List<BenchSymbol> chosen = new ArrayList<>();
        for (BenchSymbol s : BenchSymbol.read(symbolsFile)) {
            if (s.reference() <= 6_000 && chosen.size() < maxSymbols) {
                chosen.add(s);
            }
        }
        if (chosen.isEmpty()) {
            usage("no symbol at or below 60.00 in " + symbolsFile);
        }
        BenchKey key = BenchKey.read(keysFile).get(0);
        OrderFillLatency run = new OrderFillLatency(URI.create(gateway), key, chosen, chosen.get(0).lot(), prefix);
        int code = run.run(name, rate, seconds, warmup, position);
        run.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.exit(code);
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: OrderFillLatency --gateway URL --keys F --symbols F [--rate R] [--seconds S]"
                + " [--warmup-seconds W] [--max-symbols N] [--position SHARES] [--id-prefix P] [--name N]");
        System.exit(2);
    }

    private int run(String name, double rate, int seconds, int warmup, int position) throws Exception {
        connectStream();
        System.out.printf(Locale.ROOT, "%s: order stream subscribed; %d symbols %s, %d shares per order%n", name,
                symbols.size(), symbols.stream().map(BenchSymbol::symbol).toList(), qty);
        prePosition(position);

        int total = (int) Math.ceil((warmup + seconds) * rate);
        int firstMeasured = (int) Math.ceil(warmup * rate);
        intended = new long[total];
        sent = new long[total];
        acked = new long[total];
        filled = new long[total];
        unfilled = new boolean[total];
        refused = new boolean[total];
        double periodNs = 1e9 / rate;
        long start = System.nanoTime() + START_DELAY_NS;
        System.out.printf(Locale.ROOT, "%s: %.0f orders/s for %d s after %d s warm-up (IOC, crossing, buy/sell"
                + " alternating)%n", name, rate, seconds, warmup);
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * periodNs);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            ctx.runOnContext(v -> place(index, due));
        }
        long drainEnd = System.nanoTime() + DRAIN_NS;
        while (System.nanoTime() < drainEnd && onLoop(() -> pending(firstMeasured)) > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return onLoop(() -> report(name, rate, firstMeasured, total));
    }

    /** Opens the stream through the gateway and subscribes to {@code orders}; waits for the answer. */
    private void connectStream() throws Exception {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(gateway.getHost()).setPort(gateway.getPort())
                .setURI("/v1/stream/orders").addHeader("X-API-Key", key.keyId()).addHeader("X-API-Secret", key.secret());
        CompletableFuture<WebSocket> ws = new CompletableFuture<>();
        ctx.runOnContext(v -> wsClient.connect(o).onComplete(ar -> {
            if (ar.failed()) {
                ws.completeExceptionally(ar.cause());
                return;
            }
            WebSocket socket = ar.result();
            socket.textMessageHandler(this::onFrame);
            socket.writeTextMessage(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders"))
                    .encode());
            ws.complete(socket);
        }));
        ws.get(15, TimeUnit.SECONDS);
        subscribed.get(15, TimeUnit.SECONDS);
    }

    /** Buys {@code position} shares of every symbol (IOC at the crossing price) and waits for them. */
    private void prePosition(int position) throws Exception {
        for (BenchSymbol s : symbols) {
            JsonObject body = order(s, "buy", position, s.crossingBuy(), prefix + "pos-" + s.symbol());
            int status = onLoopAsync(() -> send("POST", "/v1/orders", body.encode()).map(r -> r.status)).get(15,
                    TimeUnit.SECONDS);
            if (status != 201) {
                throw new IllegalStateException("pre-position buy of " + s.symbol() + " answered " + status);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Reply r = onLoopAsync(() -> send("GET", "/v1/positions", null)).get(15, TimeUnit.SECONDS);
            JsonArray items = new JsonObject(r.body).getJsonArray("items", new JsonArray());
            int ready = 0;
            for (Object o : items) {
                JsonObject p = (JsonObject) o;
                if (p.getLong("sellable_qty", 0L) >= position / 2) {
                    ready++;
                }
            }
            if (ready >= symbols.size()) {
                System.out.println("positions: " + items.encode());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pre-position did not fill within 15 s: " + r.body);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static JsonObject order(BenchSymbol s, String side, int qty, long price, String clientOrderId) {
        return new JsonObject().put("symbol", s.symbol()).put("side", side).put("type", "limit")
                .put("time_in_force", "ioc").put("qty", qty).put("price", BenchSymbol.decimal(price))
                .put("client_order_id", clientOrderId);
    }

    /** On the event loop: sends order {@code i}. */
    private void place(int i, long due) {
        BenchSymbol s = symbols.get((i / 2) % symbols.size());
        boolean buy = i % 2 == 0;
        String body = order(s, buy ? "buy" : "sell", qty, buy ? s.crossingBuy() : s.crossingSell(), prefix + i).encode();
        intended[i] = due;
        sent[i] = System.nanoTime();
        send("POST", "/v1/orders", body).onComplete(ar -> {
            long now = System.nanoTime();
            if (ar.failed() || ar.result().status != 201) {
                refused[i] = true;
                if (firstRefusal == null) {
                    firstRefusal = ar.failed() ? ar.cause().toString() : ar.result().status + " " + ar.result().body;
                }
                return;
            }
            acked[i] = now;
            JsonObject o = new JsonObject(ar.result().body);
            if (o.getLong("filled_qty", 0L) == 0 && isFinal(o.getString("status"))) {
                unfilled[i] = true;
            }
        });
    }

    private static boolean isFinal(String status) {
        return "canceled".equals(status) || "expired".equals(status) || "rejected".equals(status);
    }

    /** On the event loop: a stream frame. */
    private void onFrame(String text) {
        long now = System.nanoTime();
        frames++;
        JsonObject f = new JsonObject(text);
        String type = f.getString("type");
        if ("subscribed".equals(type)) {
            subscribed.complete(null);
            return;
        }
        if ("error".equals(type)) {
            System.err.println("stream error frame: " + text);
            return;
        }
        JsonObject data = f.getJsonObject("data");
        if (data == null || filled == null) {
            return;
        }
        int i = index(data.getString("client_order_id"));
        if (i < 0 || i >= filled.length) {
            return;
        }
        if ("fill".equals(type)) {
            if (filled[i] == 0) {
                filled[i] = now;
            }
        } else if ("order".equals(type) && data.getLong("filled_qty", 0L) == 0 && isFinal(data.getString("status"))) {
            unfilled[i] = true;
        }
    }

    private int index(String clientOrderId) {
        if (clientOrderId == null || !clientOrderId.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(clientOrderId.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1; // the pre-position orders
        }
    }

    private int pending(int from) {
        int n = 0;
        for (int i = from; i < filled.length; i++) {
            if (sent[i] == 0 || (filled[i] == 0 && !unfilled[i] && !refused[i])) {
                n++;
            }
        }
        return n;
    }

    private int report(String name, double rate, int from, int total) {
        Histogram fill = new Histogram(MAX_TRACKABLE_NS, 3);
        Histogram fillFromSend = new Histogram(MAX_TRACKABLE_NS, 3);
        Histogram ack = new Histogram(MAX_TRACKABLE_NS, 3);
        int noFill = 0;
        int refusals = 0;
        int lost = 0;
        int fillBeforeAck = 0;
        for (int i = from; i < total; i++) {
            if (refused[i]) {
                refusals++;
                continue;
            }
            if (acked[i] != 0) {
                ack.recordValue(clamp(acked[i] - intended[i]));
            }
            if (filled[i] != 0) {
                fill.recordValue(clamp(filled[i] - intended[i]));
                fillFromSend.recordValue(clamp(filled[i] - sent[i]));
                if (acked[i] == 0 || filled[i] < acked[i]) {
                    fillBeforeAck++;
                }
            } else if (unfilled[i]) {
                noFill++;
            } else {
                lost++;
            }
        }
        int measured = total - from;
        System.out.printf(Locale.ROOT, "  fill frame from intended send (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f"
                        + "  max %.0f%n", us(fill, 50), us(fill, 90), us(fill, 99), us(fill, 99.9), fill.getMaxValue() / 1e3);
        System.out.printf(Locale.ROOT, "  fill frame from actual send (us): p50 %.0f  p99 %.0f  max %.0f%n",
                us(fillFromSend, 50), us(fillFromSend, 99), fillFromSend.getMaxValue() / 1e3);
        System.out.printf(Locale.ROOT, "  201 from intended send (us): p50 %.0f  p99 %.0f  max %.0f%n", us(ack, 50),
                us(ack, 99), ack.getMaxValue() / 1e3);
        System.out.printf(Locale.ROOT, "  measured %d orders: %d filled (%d fill frames before the 201), %d IOC without"
                        + " fill, %d refused%s, %d without answer; %d stream frames in all%n", measured,
                fill.getTotalCount(), fillBeforeAck, noFill, refusals,
                firstRefusal == null ? "" : " (first: " + firstRefusal + ")", lost, frames);
        System.out.printf(Locale.ROOT, "RESULT fill name=%s rate=%.0f orders=%d filled=%d unfilled=%d refused=%d lost=%d"
                        + " p50=%.1f p90=%.1f p99=%.1f p999=%.1f max=%.1f send_p50=%.1f send_p99=%.1f ack_p50=%.1f"
                        + " ack_p99=%.1f fill_before_ack=%d%n", name, rate, measured, fill.getTotalCount(), noFill, refusals,
                lost, us(fill, 50), us(fill, 90), us(fill, 99), us(fill, 99.9), fill.getMaxValue() / 1e3,
                us(fillFromSend, 50), us(fillFromSend, 99), us(ack, 50), us(ack, 99), fillBeforeAck);
        boolean ok = refusals == 0 && lost == 0 && noFill <= measured * 0.05;
        if (!ok) {
            System.err.println("FAILED: refused, lost or too many unfilled orders");
        }
        return ok ? 0 : 1;
    }

    private static double us(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(MAX_TRACKABLE_NS, nanos));
    }

    private record Reply(int status, String body) {
    }

    /** On the event loop: one request with the key; the answer's status and body. */
    private io.vertx.core.Future<Reply> send(String method, String path, String body) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setURI(path)
                .addHeader("X-API-Key", key.keyId()).addHeader("X-API-Secret", key.secret());
        if (body != null) {
            o.addHeader("Content-Type", "application/json");
        }
        return http.request(o).compose(req -> (body == null ? req.send() : req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString()))));
    }

    private <T> T onLoop(java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ctx.runOnContext(v -> f.complete(task.get()));
        return f.get(15, TimeUnit.SECONDS);
    }

    private <T> CompletableFuture<T> onLoopAsync(java.util.function.Supplier<io.vertx.core.Future<T>> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        ctx.runOnContext(v -> task.get().onComplete(ar -> {
            if (ar.succeeded()) {
                f.complete(ar.result());
            } else {
                f.completeExceptionally(ar.cause());
            }
        }));
        return f;
    }
}
