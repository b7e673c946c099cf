package org.opentrade.gateway.app;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * A fake upstream WebSocket service (greets each stream with {@code "hello"}, then echoes text) that
 * real gateways proxy their stream routes to, and a client that opens streams through a gateway.
 * Blocking helpers wait with a timeout; called from the test thread.
 */
final class StreamKit implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);
    /** Signs the identity the stream routes send upstream, with a key of the test run's own. */
    static final org.opentrade.gateway.adapter.identity.AssertionIssuer ASSERTIONS =
            new org.opentrade.gateway.adapter.identity.AssertionIssuer(
                    new org.opentrade.common.identity.AssertionSigner(org.opentrade.common.identity.GatewayKeys.generate()),
                    org.opentrade.common.identity.IdentityAssertions.DEFAULT_TTL, System::currentTimeMillis, 100);

    final Vertx vertx = Vertx.vertx();
    private final WebSocketClient client = vertx.createWebSocketClient();
    private final Context clientContext = vertx.getOrCreateContext();
    final HttpServer upstream;
    /** Every text message the upstream received, in order. */
    final LinkedBlockingQueue<String> upstreamReceived = new LinkedBlockingQueue<>();
    final java.util.concurrent.atomic.AtomicInteger upstreamConnections = new java.util.concurrent.atomic.AtomicInteger();

    StreamKit() throws Exception {
        upstream = vertx.createHttpServer().webSocketHandler(ws -> {
            upstreamConnections.incrementAndGet();
            ws.writeTextMessage("hello");
            ws.textMessageHandler(text -> {
                upstreamReceived.add(text);
                ws.writeTextMessage(text);
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The upstream hook of a gateway: stream routes go to the fake upstream, the rest to TestGateway's echo. */
    Function<RoutePolicy, Handler<RoutingContext>> upstreams() {
        return policy -> {
            if (!policy.websocket()) {
                return TestGateway.echoUpstream(policy);
            }
            Handler<RoutingContext>[] proxy = new Handler[1];
            return ctx -> {
                if (proxy[0] == null) {
                    // Built on the gateway's own Vert.x, as the real wiring does.
                    proxy[0] = Upstreams.create(ctx.vertx(), java.util.Map.of(policy.upstream(),
                            new org.opentrade.gateway.adapter.http.proxy.UpstreamPoolOptions().setName(policy.upstream())
                                    .setHealthInterval(Duration.ofMinutes(10))
                                    .addTarget("127.0.0.1:" + upstream.actualPort())), UpstreamHopListener.NONE, ASSERTIONS)
                            .handler(policy);
                }
                proxy[0].handle(ctx);
            };
        };
    }

    /** An open stream as the client sees it: its text messages and, once closed, its close frame. */
    static final class Stream {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket socket;

        String nextMessage() throws InterruptedException {
            String m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + WAIT);
            }
            return m;
        }

        /** "code reason" of the close frame. */
        String awaitClose() throws Exception {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        short closeCode() throws Exception {
            return Short.parseShort(awaitClose().split(" ", 2)[0]);
        }

        JsonObject closeReason() throws Exception {
            return new JsonObject(awaitClose().split(" ", 2)[1]);
        }
    }

    /** Opens {@code path} on the gateway at {@code port} with {@code headers} (name, value, ...). */
    Stream open(int port, String path, String... headers) throws Exception {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        Stream s = new Stream();
        CompletableFuture<WebSocket> connected = new CompletableFuture<>();
        clientContext.runOnContext(v -> {
            Future<WebSocket> f = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                    .setURI(path).setHeaders(h));
            f.onSuccess(ws -> {
                ws.textMessageHandler(s.messages::add);
                ws.closeHandler(x -> s.closed.complete(ws.closeStatusCode() + " " + ws.closeReason()));
                s.socket = ws;
                connected.complete(ws);
            }).onFailure(connected::completeExceptionally);
        });
        connected.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    void send(Stream s, String text) {
        clientContext.runOnContext(v -> s.socket.writeTextMessage(text));
    }

    /** A WebSocket ping (a control frame). */
    void ping(Stream s) {
        clientContext.runOnContext(v -> s.socket.writePing(io.vertx.core.buffer.Buffer.buffer("hi")));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
