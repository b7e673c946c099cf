package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.function.Consumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real servers on 127.0.0.1 for the proxy tests: upstream instances on free ports, a gateway
 * routing to them, and a client. Blocking helpers wait on futures with a timeout; they are called
 * from the test thread, never from an event loop.
 */
final class ProxyTestKit implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final Vertx vertx = Vertx.vertx();
    final HttpClient client = vertx.createHttpClient();
    /**
     * Client calls start on this one context: called from the test thread directly, a response's
     * callbacks could run on another thread than its body events and miss them.
     */
    final WebSocketClient webSocketClient = vertx.createWebSocketClient();
    private final Context clientContext = vertx.getOrCreateContext();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<UpstreamPool> pools = new ArrayList<>();

    /** A server on {@code port} (0: a free one); returns it once it listens. */
    HttpServer upstream(int port, Handler<HttpServerRequest> handler) {
        HttpServer server = await(vertx.createHttpServer().requestHandler(handler).listen(port, "127.0.0.1"));
        servers.add(server);
        return server;
    }

    /** A server on a free port that also tells {@code onConnection} of each TCP connection it accepts. */
    HttpServer upstream(Handler<io.vertx.core.http.HttpConnection> onConnection, Handler<HttpServerRequest> handler) {
        HttpServer server = await(vertx.createHttpServer().connectionHandler(onConnection).requestHandler(handler)
                .listen(0, "127.0.0.1"));
        servers.add(server);
        return server;
    }

    /** A free port with nothing listening on it (bound, then released). */
    int closedPort() {
        HttpServer s = await(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
        int port = s.actualPort();
        await(s.close());
        return port;
    }

    UpstreamPool pool(UpstreamPoolOptions options) {
        UpstreamPool pool = new UpstreamPool(vertx, options);
        pools.add(pool);
        return pool;
    }

    static UpstreamPoolOptions options(String name, int... ports) {
        UpstreamPoolOptions o = new UpstreamPoolOptions().setName(name)
                // Long health interval by default: tests that are not about health checks stay
                // deterministic; health tests shorten it.
                .setHealthInterval(Duration.ofMinutes(10));
        for (int port : ports) {
            o.addTarget("127.0.0.1:" + port);
        }
        return o;
    }

    /** A gateway: {@code /v1/stream/*} to {@code ws} (if any), every other path through a BodyHandler to {@code rest}. */
    int gateway(ProxyHandler rest, WebSocketProxyHandler ws) {
        Router router = Router.router(vertx);
        if (ws != null) {
            router.route("/v1/stream/*").handler(ws);
        }
        if (rest != null) {
            router.route().handler(BodyHandler.create()).handler(rest);
        }
        HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        servers.add(server);
        return server.actualPort();
    }

    /** A gateway whose every request runs {@code before} (e.g. to set the route), then {@code rest}. */
    int gatewayAfter(Handler<io.vertx.ext.web.RoutingContext> before, ProxyHandler rest) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create()).handler(before).handler(rest);
        HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        servers.add(server);
        return server.actualPort();
    }

    /** Sends a request without waiting; the future completes with the whole answer. */
    Future<Reply> callAsync(int port, HttpMethod method, String uri) {
        RequestOptions o = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(method).setURI(uri);
        Promise<Reply> reply = Promise.promise();
        clientContext.runOnContext(v -> client.request(o)
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))))
                .onComplete(reply));
        return reply.future();
    }

    record Reply(int status, MultiMap headers, Buffer body) {
        JsonObject json() {
            return body.toJsonObject();
        }
    }

    Reply call(int port, HttpMethod method, String uri, MultiMap headers, Buffer body) {
        RequestOptions o = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(method).setURI(uri);
        if (headers != null) {
            o.setHeaders(headers);
        }
        Promise<Reply> reply = Promise.promise();
        clientContext.runOnContext(v -> client.request(o)
                .compose(req -> (body == null ? req.send() : req.send(body))
                        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))))
                .onComplete(reply));
        return await(reply.future());
    }

    Reply get(int port, String uri) {
        return call(port, HttpMethod.GET, uri, null, null);
    }

    /** A WebSocket server on a free port. */
    HttpServer webSocketUpstream(Handler<ServerWebSocket> handler) {
        HttpServer server = await(vertx.createHttpServer().webSocketHandler(handler).listen(0, "127.0.0.1"));
        servers.add(server);
        return server;
    }

    /**
     * A WebSocket upstream on a free port that completes each handshake (101, RFC 6455's accept key)
     * and then reads and ignores every byte: no frame is ever answered, pings included, and nothing is
     * sent, as from a process that stopped or a host that vanished. {@code onUpgraded} gets each
     * connection's TCP socket once the 101 is written (close it to act as a process that died).
     */
    NetServer silentWebSocketUpstream(Consumer<NetSocket> onUpgraded) {
        NetServer server = await(vertx.createNetServer().connectHandler(socket -> {
            Buffer head = Buffer.buffer();
            boolean[] upgraded = {false};
            socket.handler(bytes -> {
                if (upgraded[0]) {
                    return;
                }
                head.appendBuffer(bytes);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (!text.contains("\r\n\r\n")) {
                    return;
                }
                upgraded[0] = true;
                String key = text.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
                socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n").onSuccess(v -> onUpgraded.accept(socket));
            });
        }).listen(0, "127.0.0.1"));
        return server; // closed with vertx
    }

    private static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens a WebSocket to {@code port}; {@code setup} installs handlers on the client's context
     * before any frame can be delivered.
     */
    Future<WebSocket> webSocket(int port, String uri, MultiMap headers, Consumer<WebSocket> setup) {
        Promise<WebSocket> result = Promise.promise();
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
        if (headers != null) {
            o.setHeaders(headers);
        }
        clientContext.runOnContext(v -> webSocketClient.connect(o).onSuccess(setup::accept).onComplete(result));
        return result.future();
    }

    /** Runs {@code action} on the client context (writes and closes on a client socket). */
    void onClient(Runnable action) {
        clientContext.runOnContext(v -> action.run());
    }

    /** Waits for {@code condition}, re-checking every 10 ms on a timer, failing after {@link #WAIT}. */
    void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            await(vertx.timer(10));
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("future did not complete: " + e, e);
        }
    }

    @Override
    public void close() {
        for (UpstreamPool pool : pools) {
            try {
                await(pool.close());
            } catch (AssertionError ignored) {
                // closing is best effort; vertx.close() below ends everything anyway
            }
        }
        await(vertx.close());
    }
}
