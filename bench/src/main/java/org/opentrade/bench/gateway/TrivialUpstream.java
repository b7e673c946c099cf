package org.opentrade.bench.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The upstream of the gateway benchmark: answers {@code GET /health} and
 * {@code GET /v1/market/instruments} with small fixed JSON bodies (the instruments one is about
 * 100 bytes), {@code GET /v1/market/instruments/{symbol}} with 1 KiB of JSON (the gateway benchmark's
 * path, beside nginx and the bare proxy), {@code POST /v1/orders} with 201 and a fixed order of
 * trade-api's shape and size (324 bytes, as trade-api answers a resting limit order; the trade benchmark's floor), once the request
 * body has arrived, anything else with 404. No router, no JSON encoding per request, so what the
 * gateway benchmark measures on top of it is the gateway.
 *
 * <p>{@code java -cp benchmarks.jar org.opentrade.bench.gateway.TrivialUpstream --port 18081
 * [--host 127.0.0.1] [--instances 1] [--servers N --service-ms M]}; {@code --instances} server verticles
 * share the port, one event loop each. With {@code --servers} and {@code --service-ms} it is a saturable
 * upstream: every request but {@code /health} waits for one of N servers, each busy M ms per request
 * (a timer, no CPU), in arrival order, so it serves at most N × 1000 / M requests a second and queues
 * the rest without bound: the upstream the gateway's overload bench offers three times that to.
 */
public final class TrivialUpstream extends VerticleBase {
    static final Buffer INSTRUMENTS = Buffer.buffer(
            "{\"instruments\":[{\"symbol\":\"600000.SH\",\"name\":\"PF Bank\",\"lot\":100,\"tick\":\"0.01\",\"status\":\"T\"}]}");
    static final Buffer ORDER = Buffer.buffer("{\"order_id\":\"1\",\"client_order_id\":\"x-1\",\"symbol\":\"600000.SH\","
            + "\"side\":\"buy\",\"type\":\"limit\",\"time_in_force\":\"day\",\"qty\":100,\"price\":\"9.60\",\"stop_price\":null,"
            + "\"filled_qty\":0,\"leaves_qty\":100,\"avg_fill_price\":null,\"status\":\"new\",\"reject_reason\":null,"
            + "\"created_at\":\"2026-12-02T04:40:50.905Z\",\"updated_at\":\"2026-12-02T04:40:51.035Z\"}");
    /** {@code GET /v1/market/instruments/{symbol}}: 1 KiB exactly, the body of the peer comparison (nginx, bare proxy). */
    static final Buffer ONE_KIB = oneKib();
    /** {@code GET /v1/market/klines/{symbol}}: 155 KiB, the size of 1 000 1m bars (market bench part 1). */
    static final Buffer KLINES = padded(155 * 1024);
    static final Buffer HEALTH = Buffer.buffer("{\"status\":\"UP\"}");
    static final Buffer NOT_FOUND = Buffer.buffer("{\"code\":-1,\"msg\":\"not found\"}");

    private final String host;
    private final int port;
    /** Requests served at once when saturable, else 0 (answer at once). */
    private final int servers;
    private final long serviceMs;
    /** Answers waiting for a server (saturable mode; this verticle's event loop only). */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int busy;
    private HttpServer server;

    TrivialUpstream(String host, int port) {
        this(host, port, 0, 0);
    }

    TrivialUpstream(String host, int port, int servers, long serviceMs) {
        this.host = host;
        this.port = port;
        this.servers = servers;
        this.serviceMs = serviceMs;
    }

    /** Runs {@code answer} now, or, saturable, once a server has spent its service time on it. */
    private void serve(Runnable answer) {
        if (servers == 0) {
            answer.run();
        } else if (busy < servers) {
            busy++;
            vertx.setTimer(serviceMs, id -> done(answer));
        } else {
            waiting.add(answer);
        }
    }

    private void done(Runnable answer) {
        answer.run();
        Runnable next = waiting.poll();
        if (next != null) {
            vertx.setTimer(serviceMs, id -> done(next));
        } else {
            busy--;
        }
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false))
                .requestHandler(req -> {
                    String path = req.path();
                    if ("/v1/orders".equals(path) && req.method() == HttpMethod.POST) {
                        // answer once the body is in, so the connection is ready for the next request
                        req.end().onSuccess(v -> serve(() -> req.response().setStatusCode(201)
                                .putHeader("Content-Type", "application/json").end(ORDER)));
                        return;
                    }
                    Buffer body;
                    int status = 200;
                    if ("/v1/market/instruments".equals(path)) {
                        body = INSTRUMENTS;
                    } else if (path.startsWith("/v1/market/instruments/")) {
                        body = ONE_KIB;
                    } else if (path.startsWith("/v1/market/klines/")) {
                        body = KLINES;
                    } else if ("/health".equals(path)) {
                        body = HEALTH;
                    } else {
                        body = NOT_FOUND;
                        status = 404;
                    }
                    int code = status;
                    Buffer answer = body;
                    Runnable respond = () -> req.response().setStatusCode(code).putHeader("Content-Type", "application/json")
                            .end(answer);
                    if (body == HEALTH) {
                        respond.run();
                    } else {
                        serve(respond);
                    }
                });
        return server.listen(port, host);
    }

    /** An instrument record padded to 1024 bytes of JSON. */
    static Buffer oneKib() {
        return padded(1024);
    }

    /** An instrument record padded to {@code bytes} of JSON. */
    static Buffer padded(int bytes) {
        String head = "{\"symbol\":\"600000.SH\",\"name\":\"PF Bank\",\"lot\":100,\"tick\":\"0.01\",\"status\":\"T\",\"notes\":\"";
        String tail = "\"}";
        return Buffer.buffer(head + "x".repeat(bytes - head.length() - tail.length()) + tail);
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 18081;
        int instances = 1;
        int servers = 0;
        long serviceMs = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--instances" -> instances = Integer.parseInt(args[++i]);
                case "--servers" -> servers = Integer.parseInt(args[++i]);
                case "--service-ms" -> serviceMs = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: TrivialUpstream --port N [--host H] [--instances N]"
                            + " [--servers N --service-ms M]");
                    System.exit(2);
                }
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, instances)));
        if ((servers > 0) != (serviceMs > 0)) {
            System.err.println("--servers and --service-ms go together, both positive");
            System.exit(2);
        }
        String h = host;
        int p = port;
        int n = servers;
        long ms = serviceMs;
        vertx.deployVerticle(() -> new TrivialUpstream(h, p, n, ms), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("trivial upstream listening on " + host + ":" + port + " (" + instances + " event loop(s)"
                + (servers > 0 ? ", " + servers + " servers of " + serviceMs + " ms per request each" : "") + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "upstream-shutdown"));
    }
}
