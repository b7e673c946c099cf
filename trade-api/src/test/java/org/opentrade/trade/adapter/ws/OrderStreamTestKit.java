package org.opentrade.trade.adapter.ws;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A real order stream on 127.0.0.1 (random port) with a fake ledger (open orders and head seq per account),
 * a test clock, and WebSocket clients that queue every text frame they get. The server side builds the
 * {@link StreamCaller} the way the wiring does: the account from what the gateway established (here the
 * {@code x-account} header stands in for the verified assertion), cancel-on-disconnect from the upgrade
 * query. Blocking helpers wait with a timeout and are called from the test thread only.
 */
final class OrderStreamTestKit implements AutoCloseable {
    static final long WAIT_SECONDS = 10;
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String ALICE = "dev-alice";
    static final String BOB = "dev-bob";

    final Vertx vertx = Vertx.vertx();
    /** Epoch ms the server reads; frozen unless a test moves it, so flood windows and retention are deterministic. */
    final AtomicLong clock = new AtomicLong(1_767_580_200_000L); // 2026-01-05T02:30:00Z
    final Map<String, List<JsonObject>> openOrders = new ConcurrentHashMap<>();
    final Map<String, Long> ledgerHeads = new ConcurrentHashMap<>();
    /** Accounts the cancel-on-disconnect handler was called with, in order. */
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final OrderStreams streams;
    private final HttpServer server;

    OrderStreamTestKit(OrderStreamOptions options) {
        this(options, new HttpServerOptions());
    }

    OrderStreamTestKit(OrderStreamOptions options, HttpServerOptions serverOptions) {
        this(options, serverOptions, null);
    }

    /** A stream that records in {@code journal} and takes over with {@code history} (see {@link StreamHistory}). */
    OrderStreamTestKit(OrderStreamOptions options, org.opentrade.trade.port.StreamJournal journal, StreamHistory history) {
        this(options, new HttpServerOptions(), java.util.Map.entry(journal, history));
    }

    private OrderStreamTestKit(OrderStreamOptions options, HttpServerOptions serverOptions,
                               Map.Entry<org.opentrade.trade.port.StreamJournal, StreamHistory> takeOver) {
        AccountSource source = new AccountSource() {
            @Override
            public List<JsonObject> openOrders(String account) {
                return openOrders.getOrDefault(account, List.of());
            }

            @Override
            public long headSeq(String account) {
                return ledgerHeads.getOrDefault(account, 0L);
            }
        };
        Context owner = vertx.getOrCreateContext();
        CompletableFuture<OrderStreams> made = new CompletableFuture<>();
        owner.runOnContext(v -> made.complete(takeOver == null ? new OrderStreams(vertx, options, source, clock::get)
                : new OrderStreams(vertx, options, source, clock::get, takeOver.getKey(), takeOver.getValue())));
        streams = get(made);
        streams.onDisconnect(cancelled::add);
        server = await(vertx.createHttpServer(serverOptions.setHost("127.0.0.1").setPort(0))
                .webSocketHandler(ws -> {
                    boolean cancelOnDisconnect = "cancel_on_disconnect=true".equals(ws.query());
                    streams.accept(ws, new StreamCaller(ws.headers().get("x-account"), "key-of-"
                            + ws.headers().get("x-account"), ws.headers().get("x-trace"), cancelOnDisconnect));
                })
                .listen());
    }

    TestClient connect(String account) {
        return connect(account, false, new WebSocketClientOptions());
    }

    TestClient connect(String account, boolean cancelOnDisconnect) {
        return connect(account, cancelOnDisconnect, new WebSocketClientOptions());
    }

    TestClient connect(String account, boolean cancelOnDisconnect, WebSocketClientOptions clientOptions) {
        WebSocketClient wsc = vertx.createWebSocketClient(clientOptions);
        TestClient client = new TestClient(wsc.webSocket());
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort())
                .setURI("/v1/stream/orders" + (cancelOnDisconnect ? "?cancel_on_disconnect=true" : ""))
                .addHeader("x-account", account).addHeader("x-trace", TRACE);
        await(client.ws.connect(o));
        return client;
    }

    /** Publishes on the owner context and returns what publish returned. */
    long publish(String account, long seq, String type, JsonObject data) {
        return onOwner(() -> streams.publish(account, seq, type, data));
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

    /** Runs a no-op on the owner and waits for it: everything the owner had queued before is done. */
    void drainOwner() {
        onOwner(() -> null);
    }

    static JsonObject order(String id, String status) {
        return new JsonObject().put("order_id", id).put("client_order_id", "c-" + id).put("symbol", "600000.SH")
                .put("side", "buy").put("type", "limit").put("time_in_force", "day").put("qty", 100)
                .put("price", "10.00").put("status", status);
    }

    static JsonObject fill(String id, String orderId) {
        return new JsonObject().put("fill_id", id).put("order_id", orderId).put("symbol", "600000.SH")
                .put("side", "buy").put("price", "10.00").put("qty", 100).put("fee", "5.00").put("liquidity", "taker");
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

        void subscribe() {
            send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders")));
        }

        void subscribe(long resume, String epoch) {
            JsonObject f = new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders"))
                    .put("resume", new JsonObject().put("orders", resume));
            if (epoch != null) {
                f.put("epoch", epoch);
            }
            send(f);
        }

        /** Subscribes and returns the subscribed frame. */
        JsonObject subscribed() {
            subscribe();
            return expectType("subscribed");
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
         * Sends a ping and returns every non-heartbeat frame before the pong: the server writes in order, so
         * this is everything it meant to send before it read the ping.
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
