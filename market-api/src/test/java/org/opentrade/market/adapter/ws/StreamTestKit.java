package org.opentrade.market.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentrade.market.domain.stream.ChannelSource;
import org.opentrade.market.domain.stream.StreamChannel;

/**
 * A real stream server on 127.0.0.1 (random port) with a fake channel source, a test clock, and
 * WebSocket clients that queue every text frame they get. Blocking helpers wait with a timeout and are
 * called from the test thread only.
 */
final class StreamTestKit implements AutoCloseable {
    static final long WAIT_SECONDS = 10;
    static final String A = "600000.SH";
    static final String B = "000001.SZ";
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    final Vertx vertx = Vertx.vertx();
    /** Epoch ms the server reads; frozen unless a test moves it, so flood windows are deterministic. */
    final AtomicLong clock = new AtomicLong(1_767_580_200_000L); // 2026-01-05T02:30:00Z
    final Map<String, JsonObject> snapshots = new ConcurrentHashMap<>();
    /** What the source says a client that missed messages needs before the snapshot ({@code ChannelSource#missed}). */
    final Map<String, List<JsonObject>> missed = new ConcurrentHashMap<>();
    /** Channels the source numbers itself, with where they stand when opened. */
    final Map<String, ChannelSource.Origin<JsonObject>> origins = new ConcurrentHashMap<>();
    final MarketStreams streams;
    final StreamOptions options;
    private final HttpServer server;
    private final List<TestClient> clients = new ArrayList<>();

    StreamTestKit(StreamOptions options) {
        this(options, new HttpServerOptions());
    }

    StreamTestKit(StreamOptions options, HttpServerOptions serverOptions) {
        this.options = options;
        ChannelSource<JsonObject> source = new ChannelSource<>() {
            @Override
            public Optional<String> check(String channel) {
                return StreamChannel.check(channel, Set.of(A, B)::contains);
            }

            @Override
            public JsonObject snapshot(String channel) {
                return snapshots.get(channel);
            }

            @Override
            public List<JsonObject> missed(String channel, long withinMs) {
                return missed.getOrDefault(channel, List.of());
            }

            @Override
            public Origin<JsonObject> origin(String channel) {
                return origins.get(channel);
            }
        };
        Context owner = vertx.getOrCreateContext();
        CompletableFuture<MarketStreams> made = new CompletableFuture<>();
        owner.runOnContext(v -> made.complete(new MarketStreams(vertx, options, source, clock::get)));
        streams = get(made);
        server = await(vertx.createHttpServer(serverOptions.setHost("127.0.0.1").setPort(0))
                .webSocketHandler(ws -> {
                    String key = Optional.ofNullable(ws.headers().get("x-key")).orElse("key-1");
                    int max = Integer.parseInt(Optional.ofNullable(ws.headers().get("x-max-subs")).orElse("100"));
                    streams.accept(ws, new StreamCaller(key, "dev-1", max, ws.headers().get("x-trace")));
                })
                .listen());
    }

    TestClient connect(String key, int maxSubscriptions) {
        return connect(key, maxSubscriptions, new WebSocketClientOptions());
    }

    TestClient connect(String key, int maxSubscriptions, WebSocketClientOptions clientOptions) {
        WebSocketClient wsc = vertx.createWebSocketClient(clientOptions);
        TestClient client = new TestClient(wsc.webSocket());
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())
                .setURI("/v1/stream/market").addHeader("x-key", key).addHeader("x-max-subs", "" + maxSubscriptions)
                .addHeader("x-trace", TRACE);
        await(client.ws.connect(o));
        clients.add(client);
        return client;
    }

    TestClient connect() {
        return connect("key-1", 100);
    }

    /** Publishes on the owner context and returns the seq. */
    long publish(String channel, JsonObject data) {
        return onOwner(() -> streams.publish(channel, data));
    }

    /** Publishes a message the source numbered {@code seq} (a channel with an origin); returns what publish did. */
    long publishNumbered(String channel, long seq, JsonObject data) {
        return onOwner(() -> streams.publish(channel, seq, w -> w.raw(data.encode())));
    }

    <T> T onOwner(Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        streams.context().runOnContext(v -> {
            try {
                f.complete(action.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return get(f);
    }

    /** Waits until {@code condition} holds (checked on a timer), failing after the timeout. */
    void awaitCondition(String what, BooleanSupplier condition) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        long timer = vertx.setPeriodic(5, id -> {
            if (condition.getAsBoolean()) {
                f.complete(null);
            }
        });
        try {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("timed out waiting for " + what);
        } finally {
            vertx.cancelTimer(timer);
        }
    }

    static <T> T await(Future<T> future) {
        return get(future.toCompletionStage().toCompletableFuture());
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("timed out or failed: " + e, e);
        }
    }

    @Override
    public void close() {
        get(vertx.close().toCompletionStage().toCompletableFuture());
    }

    /** A client socket whose text frames queue up as JSON; its close status lands in {@link #closed}. */
    static final class TestClient {
        final ClientWebSocket ws;
        final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Short> closed = new CompletableFuture<>();
        /** The close frame's reason, once closed. */
        volatile String closeReason;

        TestClient(ClientWebSocket ws) {
            this.ws = ws;
            ws.textMessageHandler(s -> frames.add(new JsonObject(s)));
            ws.closeHandler(v -> {
                closeReason = ws.closeReason();
                closed.complete(ws.closeStatusCode());
            });
        }

        void send(JsonObject frame) {
            await(ws.writeTextMessage(frame.encode()));
        }

        void sendText(String text) {
            await(ws.writeTextMessage(text));
        }

        void sendFrame(WebSocketFrame frame) {
            await(ws.writeFrame(frame));
        }

        void subscribe(String... channels) {
            send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray(List.of(channels))));
        }

        void subscribe(Map<String, Object> resume, String... channels) {
            send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray(List.of(channels)))
                    .put("resume", new JsonObject(resume)));
        }

        void unsubscribe(String... channels) {
            send(new JsonObject().put("op", "unsubscribe").put("channels", new JsonArray(List.of(channels))));
        }

        JsonObject next() {
            try {
                JsonObject f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(f, "no frame within " + WAIT_SECONDS + " s");
                return f;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** The next frame that is not a heartbeat. */
        JsonObject nextNonHeartbeat() {
            while (true) {
                JsonObject f = next();
                if (!"heartbeat".equals(f.getString("type"))) {
                    return f;
                }
            }
        }

        JsonObject expectType(String type) {
            JsonObject f = nextNonHeartbeat();
            assertEquals(type, f.getString("type"), f.encode());
            return f;
        }

        /**
         * Sends a ping and returns every non-heartbeat frame before the pong: the server writes in order,
         * so this is everything it meant to send before it read the ping.
         */
        List<JsonObject> untilPong() {
            send(new JsonObject().put("op", "ping"));
            List<JsonObject> before = new ArrayList<>();
            while (true) {
                JsonObject f = nextNonHeartbeat();
                if ("pong".equals(f.getString("type"))) {
                    return before;
                }
                before.add(f);
            }
        }

        void close() {
            await(ws.close());
        }
    }
}
