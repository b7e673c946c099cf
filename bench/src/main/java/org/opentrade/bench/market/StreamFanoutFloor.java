package org.opentrade.bench.market;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of the fan-out benchmark: the cheapest Vert.x WebSocket server that sends the same frames to
 * the same clients, measured with the same client ({@link StreamFanoutClient}) as market-api. No exchange,
 * no feed, no channel log, no slow-consumer bound, no assertion check: on {@code subscribe} it answers
 * {@code subscribed} (seq 0) and adds the socket; a driver thread, once per period, has the event loop
 * build one trade data frame (the shape market-api sends: channel, seq, data with the trade's {@code time}
 * = now) and write it to every subscribed socket as a text frame. What market-api adds on top (exchange
 * round trip, feed, board, channel log, bounded writes) is the difference between the two runs; what is
 * left here is Vert.x, Netty, the kernel's loopback TCP and the client.
 *
 * <p>Same control port protocol as {@link StreamFanoutServer} ({@code /drive}, {@code /stop},
 * {@code /heap}, {@code /metrics.json}, {@code /cpu}), with the counters the client reads.
 * <pre>
 * java -cp benchmarks.jar org.opentrade.bench.market.StreamFanoutFloor [--port 0] [--control-port 18291] [--symbol 600519.SH]
 * </pre>
 * Prints {@code READY market_port=P control_port=C} once listening.
 */
public final class StreamFanoutFloor {
    private final Vertx vertx = FanoutTransport.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final Vertx controlVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final Set<ServerWebSocket> subscribed = new LinkedHashSet<>();
    private final String symbol;
    private final AtomicLong trades = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile int connections;
    private final PacedDriver driver = new PacedDriver("floor-driver");
    private long seq;

    private StreamFanoutFloor(String symbol) {
        this.symbol = symbol;
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        int controlPort = 18291;
        String symbol = "600519.SH";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--control-port" -> controlPort = Integer.parseInt(args[++i]);
                case "--symbol" -> symbol = args[++i];
                case "--key-file" -> i++; // accepted for symmetry with StreamFanoutServer: no assertion is checked
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        StreamFanoutFloor floor = new StreamFanoutFloor(symbol);
        int wsPort = await(floor.listen(port));
        int control = await(floor.control(controlPort));
        System.out.println("READY market_port=" + wsPort + " control_port=" + control + " symbol=" + symbol
                + " vertx_native=" + floor.vertx.isNativeTransportEnabled());
        System.out.flush();
    }

    private Future<Integer> listen(int port) {
        return vertx.createHttpServer().webSocketHandler(ws -> {
            connections++;
            ws.textMessageHandler(text -> {
                JsonObject f = new JsonObject(text);
                JsonArray channels = f.getJsonArray("channels", new JsonArray());
                JsonObject seqs = new JsonObject();
                channels.forEach(c -> seqs.put((String) c, seq));
                if ("subscribe".equals(f.getString("op"))) {
                    subscribed.add(ws);
                    ws.writeTextMessage(new JsonObject().put("type", "subscribed").put("channels", channels)
                            .put("seqs", seqs).encode());
                } else if ("unsubscribe".equals(f.getString("op"))) {
                    subscribed.remove(ws);
                    ws.writeTextMessage(new JsonObject().put("type", "unsubscribed").put("channels", channels).encode());
                }
            });
            ws.closeHandler(v -> {
                connections--;
                subscribed.remove(ws);
            });
        }).listen(port, "127.0.0.1").map(s -> s.actualPort());
    }

    /** On the event loop: one trade frame, built once, written to every subscribed socket. */
    private void publish() {
        long s = ++seq;
        String frame = new JsonObject().put("channel", "trades:" + symbol).put("seq", s).put("data", new JsonObject()
                .put("trade_id", s).put("symbol", symbol).put("price", "1488.00").put("qty", 100).put("side", "buy")
                .put("time", org.opentrade.market.adapter.json.MarketJson.time(System.currentTimeMillis())).put("seq", s))
                .encode();
        for (ServerWebSocket ws : subscribed) {
            ws.writeFinalTextFrame(frame);
        }
        sent.addAndGet(subscribed.size());
        trades.incrementAndGet();
    }

    private Future<Integer> control(int port) {
        return FanoutControl.listen(controlVertx, FanoutControl.router(controlVertx, this::startDriver, () -> {
            stopDriver();
            return new JsonObject().put("trades", trades.get()).put("rejected", 0);
        }, this::metrics), port);
    }

    private JsonObject metrics() {
        return new JsonObject().put("market_trades_applied_total", trades.get())
                .put("market_stream_connections", connections).put("market_stream_messages_sent_total", sent.get())
                .put("market_stream_slow_consumers_total", 0).put("market_stream_slow_consumers_dropped_total", 0);
    }

    private JsonObject startDriver(double rate) {
        return driver.start(rate, trades.get() + 1, () -> vertx.runOnContext(v -> publish()));
    }

    private void stopDriver() {
        driver.stop();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
