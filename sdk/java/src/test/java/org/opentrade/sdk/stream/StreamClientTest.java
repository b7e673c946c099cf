package org.opentrade.sdk.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.sdk.Credentials;

/**
 * The stream client's promises against a scripted WebSocket server (the real services are in
 * {@code StreamResumeIT}): resume after a drop with duplicates dropped, a gap repaired by a resume,
 * a silent connection replaced, and back-pressure from a slow handler without losing anything.
 */
class StreamClientTest {
    private Vertx vertx;
    private HttpServer server;
    private final List<JsonObject> subscribes = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    /** The script: (connection number from 1, socket) after its subscribe frame. */
    private volatile BiConsumer<Integer, ServerWebSocket> script;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().webSocketHandler(ws -> {
            int n = connections.incrementAndGet();
            ws.textMessageHandler(text -> {
                JsonObject frame = new JsonObject(text);
                if ("subscribe".equals(frame.getString("op"))) {
                    subscribes.add(frame);
                    script.accept(n, ws);
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void subscribed(ServerWebSocket ws, long head) {
        ws.writeTextMessage(new JsonObject().put("type", "subscribed").put("channels", List.of("orders"))
                .put("seqs", new JsonObject().put("orders", head)).put("epoch", "e1").encode());
    }

    private static void data(ServerWebSocket ws, long seq) {
        ws.writeTextMessage(new JsonObject().put("channel", "orders").put("seq", seq).put("type", "order")
                .put("data", new JsonObject().put("n", seq)).encode());
    }

    /** Collects what the listener is given. */
    private static class Collector implements StreamListener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<StreamState> states = new CopyOnWriteArrayList<>();
        final CountDownLatch done;

        Collector(int expected) {
            done = new CountDownLatch(expected);
        }

        @Override
        public void onMessage(StreamMessage m) {
            seqs.add(m.seq());
            done.countDown();
        }

        @Override
        public void onState(StreamState s, String reason) {
            states.add(s);
        }
    }

    private StreamClient.Builder stream(Collector c) {
        return StreamClient.builder("http://127.0.0.1:" + server.actualPort(), "/v1/stream/orders", Credentials.none())
                .channels("orders").listener(c).backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private static List<Long> range(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            l.add(i);
        }
        return l;
    }

    @Test
    void aDroppedConnectionResumesFromTheLastSeqAndDropsDuplicates() throws Exception {
        script = (n, ws) -> {
            if (n == 1) {
                subscribed(ws, 0);
                for (long s = 1; s <= 5; s++) {
                    data(ws, s);
                }
                ws.close((short) 1011, "gone");
            } else {
                subscribed(ws, 10);
                for (long s = 4; s <= 10; s++) {
                    data(ws, s); // 4 and 5 again, as a server might after a resume from an older point
                }
            }
        };
        Collector c = new Collector(10);
        try (StreamClient s = stream(c).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "received " + c.seqs);
        }
        assertEquals(range(1, 10), c.seqs);
        JsonObject resume = subscribes.get(1);
        assertEquals(5L, resume.getJsonObject("resume").getLong("orders"), resume.encode());
        assertEquals("e1", resume.getString("epoch"));
        assertTrue(c.states.containsAll(List.of(StreamState.CONNECTING, StreamState.LIVE, StreamState.RECONNECTING)), c.states.toString());
    }

    @Test
    void aBuilderChangedAfterStartDoesNotChangeTheRunningStream() throws Exception {
        CountDownLatch firstConnection = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<ServerWebSocket> first = new java.util.concurrent.atomic.AtomicReference<>();
        script = (n, ws) -> {
            subscribed(ws, n == 1 ? 0 : 2);
            data(ws, n);
            if (n == 1) {
                first.set(ws);
                firstConnection.countDown();
            }
        };
        Collector c = new Collector(2);
        List<Long> hijacked = new CopyOnWriteArrayList<>();
        StreamClient.Builder builder = stream(c);
        try (StreamClient s = builder.start()) {
            assertTrue(firstConnection.await(10, TimeUnit.SECONDS), "connected");
            builder.channels("trades:X").listener(m -> { // the builder reused for another stream
                hijacked.add(m.seq());
                c.done.countDown();
            });
            first.get().close((short) 1011, "gone"); // the running stream reconnects and subscribes again
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "received " + c.seqs + ", the new listener " + hijacked);
        }
        assertEquals(List.of(), hijacked, "the running stream's listener is the one it started with");
        assertEquals(range(1, 2), c.seqs);
        assertEquals(List.of(new JsonObject().put("op", "subscribe").put("channels", List.of("orders")),
                new JsonObject().put("op", "subscribe").put("channels", List.of("orders"))
                        .put("resume", new JsonObject().put("orders", 1L)).put("epoch", "e1")),
                List.copyOf(subscribes), "the channels it started with, no more");
    }

    @Test
    void aZeroOrNegativeTimeoutOrBackoffIsRefusedNamingTheSetting() {
        StreamClient.Builder b = StreamClient.builder("http://127.0.0.1:1", "/v1/stream/orders", Credentials.none());
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(999_999))) {
            assertRefused("heartbeatTimeout", () -> b.heartbeatTimeout(bad));
            assertRefused("connectTimeout", () -> b.connectTimeout(bad));
            assertRefused("backoff initial", () -> b.backoff(bad, Duration.ofSeconds(5)));
            assertRefused("backoff max", () -> b.backoff(Duration.ofMillis(100), bad));
            assertRefused("resubscribeAfter", () -> b.resubscribeAfter(bad));
        }
        assertRefused("backoff max", () -> b.backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        b.heartbeatTimeout(Duration.ofMillis(1)).connectTimeout(Duration.ofMillis(1)).backoff(Duration.ofMillis(1),
                Duration.ofMillis(1)); // the least each takes
    }

    private static void assertRefused(String setting, org.junit.jupiter.api.function.Executable set) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, set,
                setting);
        assertTrue(e.getMessage().startsWith(setting + " must be at least "), e.getMessage());
    }

    @Test
    void aGapIsRepairedByAResumeNotDeliveredOutOfOrder() throws Exception {
        script = (n, ws) -> {
            subscribed(ws, n == 1 ? 0 : 5);
            if (n == 1) {
                data(ws, 1);
                data(ws, 2);
                data(ws, 4); // 3 lost
            } else {
                for (long s = 3; s <= 5; s++) {
                    data(ws, s);
                }
            }
        };
        Collector c = new Collector(5);
        try (StreamClient s = stream(c).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "received " + c.seqs);
        }
        assertEquals(range(1, 5), c.seqs);
        assertEquals(2L, subscribes.get(1).getJsonObject("resume").getLong("orders"));
    }

    @Test
    void aSilentConnectionIsReplaced() throws Exception {
        script = (n, ws) -> {
            subscribed(ws, 0);
            if (n == 2) {
                data(ws, 1);
            }
        };
        Collector c = new Collector(1);
        try (StreamClient s = stream(c).heartbeatTimeout(Duration.ofMillis(300)).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "the second connection's message arrived");
        }
        assertTrue(connections.get() >= 2);
    }

    @Test
    void aSlowHandlerHoldsTheSocketBackAndLosesNothing() throws Exception {
        int total = 5_000;
        String pad = "x".repeat(1_000);
        AtomicBoolean serverSawFullQueue = new AtomicBoolean();
        script = (n, ws) -> {
            subscribed(ws, 0);
            for (long s = 1; s <= total; s++) {
                ws.writeTextMessage(new JsonObject().put("channel", "orders").put("seq", s).put("type", "order")
                        .put("data", new JsonObject().put("pad", pad)).encode());
                if (ws.writeQueueFull()) {
                    serverSawFullQueue.set(true);
                }
            }
        };
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger maxQueued = new AtomicInteger();
        StreamClient[] self = new StreamClient[1];
        Collector c = new Collector(total) {
            @Override
            public void onMessage(StreamMessage m) {
                try {
                    release.await(); // a handler stuck until the test lets it go
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (self[0] != null) {
                    maxQueued.accumulateAndGet(self[0].queued(), Math::max);
                }
                super.onMessage(m);
            }
        };
        try (StreamClient s = stream(c).queueCapacity(16).start()) {
            self[0] = s;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.queued() < 16 && System.nanoTime() < deadline) {
                Thread.sleep(5); // polling until the client's queue is full, not a fixed wait
            }
            assertTrue(s.queued() <= 17, "the client stopped reading at its capacity: " + s.queued());
            release.countDown();
            assertTrue(c.done.await(30, TimeUnit.SECONDS), "delivered " + c.seqs.size());
        }
        assertEquals(range(1, total), c.seqs, "every message, once, in order");
        assertTrue(maxQueued.get() <= 17, "never more than the capacity waited: " + maxQueued.get());
        assertTrue(serverSawFullQueue.get(), "the server felt the back-pressure (its write queue filled)");
        assertEquals(1, connections.get(), "no reconnect: a paused stream is not a silent one");
    }

    private static void snapshot(ServerWebSocket ws, long head, int openOrders) {
        ws.writeTextMessage(new JsonObject().put("channel", "orders").put("seq", head).put("type", "snapshot")
                .put("snapshot", true).put("data", new JsonObject().put("open_orders", openOrders)).encode());
        for (int i = 0; i < openOrders; i++) {
            ws.writeTextMessage(new JsonObject().put("channel", "orders").put("seq", head).put("type", "order")
                    .put("snapshot", true).put("data", new JsonObject().put("n", i)).encode());
        }
    }

    @Test
    void aConnectionLostBeforeOrInsideTheOpenOrderSnapshotSubscribesAfreshForAWholeOne() throws Exception {
        script = (n, ws) -> {
            subscribed(ws, 30);
            if (n == 1) {
                ws.close((short) 1011, "gone"); // before the snapshot
            } else if (n == 2) {
                ws.writeTextMessage(new JsonObject().put("channel", "orders").put("seq", 30).put("type", "snapshot")
                        .put("snapshot", true).put("data", new JsonObject().put("open_orders", 3)).encode());
                ws.writeTextMessage(new JsonObject().put("channel", "orders").put("seq", 30).put("type", "order")
                        .put("snapshot", true).put("data", new JsonObject()).encode());
                ws.close((short) 1011, "gone"); // one open order of three sent
            } else {
                snapshot(ws, 30, 3);
                data(ws, 31);
            }
        };
        Collector c = new Collector(2 + 4 + 1);
        try (StreamClient s = stream(c).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "received " + c.seqs);
        }
        assertEquals(3, subscribes.size(), subscribes.toString());
        for (JsonObject resubscribe : subscribes.subList(1, 3)) {
            assertEquals(new JsonObject().put("op", "subscribe").put("channels", List.of("orders")), resubscribe,
                    "resumed at 30, the open orders would never come (or only one of three)");
        }
        assertEquals(List.of(30L, 30L, 30L, 30L, 30L, 30L, 31L), c.seqs);
    }

    @Test
    void aServerThatSubscribesAndThenClosesIsReconnectedToLessAndLessOften() throws Exception {
        script = (n, ws) -> {
            subscribed(ws, 0);
            ws.close((short) 1011, "snapshot unavailable");
        };
        Collector c = new Collector(1);
        try (StreamClient s = stream(c).backoff(Duration.ofMillis(50), Duration.ofSeconds(30)).start()) {
            Thread.sleep(2_000); // the schedule below, not a timing assertion: backing off, 2 s hold at most 7 tries
        }
        // Waits of 50, 100, 200, 400, 800 ms, each between half and all of it: the 7th connection at 1.575 s at the
        // earliest, the 8th past 2 s; a back-off reset by every subscribed frame made 28 in 2 s.
        assertTrue(connections.get() <= 7, connections.get() + " connections in 2 s");
    }

    @Test
    void aResumePointIsSentWithTheEpochOfItsSeqAndAChannelWithStateOnlyAfterItsSnapshot() throws Exception {
        java.util.Map<Integer, List<JsonObject>> byConnection = new java.util.concurrent.ConcurrentHashMap<>();
        script = (n, ws) -> {
            byConnection.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).add(subscribes.get(subscribes.size() - 1));
            if (byConnection.get(n).size() > 1) {
                return; // answered at its first subscribe frame
            }
            JsonObject seqs = new JsonObject().put("depth:X", 10L + n).put("trades:X", 100L + n);
            ws.writeTextMessage(new JsonObject().put("type", "subscribed").put("channels", List.of("depth:X", "trades:X"))
                    .put("seqs", seqs).put("epoch", n == 1 ? "eA" : "eB").encode());
            if (n == 2) {
                ws.writeTextMessage(new JsonObject().put("channel", "depth:X").put("seq", 12).put("snapshot", true)
                        .put("data", new JsonObject()).encode());
                ws.writeTextMessage(new JsonObject().put("channel", "depth:X").put("seq", 13)
                        .put("data", new JsonObject()).encode());
            }
            if (n <= 3) {
                vertx.setTimer(100, t -> ws.close((short) 1011, "gone")); // after the client's other frames
            }
        };
        Collector c = new Collector(2);
        try (StreamClient s = StreamClient.builder("http://127.0.0.1:" + server.actualPort(), "/v1/stream/market",
                Credentials.none()).channels("depth:X", "trades:X").listener(c)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "received " + c.seqs);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (byConnection.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling for the fourth connection's subscribe
            }
        }
        JsonObject trades = new JsonObject().put("op", "subscribe").put("channels", List.of("trades:X"))
                .put("resume", new JsonObject().put("trades:X", 101L)).put("epoch", "eA");
        assertEquals(java.util.Set.of(new JsonObject().put("op", "subscribe").put("channels", List.of("depth:X")), trades),
                java.util.Set.copyOf(byConnection.get(2)), "depth had no snapshot: afresh; trades from A's head, A's epoch");
        assertEquals(java.util.Set.of(new JsonObject().put("op", "subscribe").put("channels", List.of("depth:X"))
                .put("resume", new JsonObject().put("depth:X", 13L)).put("epoch", "eB"), trades),
                java.util.Set.copyOf(byConnection.get(4)), "depth from B's 13 with B's epoch (not moved by the third"
                + " connection, lost before its frames)");
        assertEquals(List.of(12L, 13L), c.seqs);
    }

    @Test
    void channelsRefusedForALimitAreAskedForAgainOnTheSameConnection() throws Exception {
        script = (n, ws) -> {
            JsonObject subscribe = subscribes.get(subscribes.size() - 1);
            if (subscribes.size() == 1) {
                ws.writeTextMessage(new JsonObject().put("type", "subscribed").put("channels", List.of("trades:A"))
                        .put("seqs", new JsonObject().put("trades:A", 0)).put("epoch", "e1").encode());
                ws.writeTextMessage(new JsonObject().put("type", "error").put("error", "too many subscriptions")
                        .put("error_no", -6012).put("trace_id", "t").put("channels", List.of("trades:B")).encode());
            } else {
                ws.writeTextMessage(new JsonObject().put("type", "subscribed").put("channels", subscribe.getJsonArray(
                        "channels")).put("seqs", new JsonObject().put("trades:B", 4)).put("epoch", "e1").encode());
                ws.writeTextMessage(new JsonObject().put("channel", "trades:B").put("seq", 5)
                        .put("data", new JsonObject()).encode());
            }
        };
        Collector c = new Collector(1);
        try (StreamClient s = StreamClient.builder("http://127.0.0.1:" + server.actualPort(), "/v1/stream/market",
                Credentials.none()).channels("trades:A", "trades:B").listener(c).resubscribeAfter(Duration.ofMillis(100))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "trades:B subscribed after all: " + subscribes);
        }
        assertEquals(1, connections.get(), "on the same connection");
        assertEquals(new JsonObject().put("op", "subscribe").put("channels", List.of("trades:B")), subscribes.get(1));
    }

    @Test
    void aListenerThatThrowsAnErrorOrACheckedExceptionIsReportedAndTheStreamGoesOn() throws Exception {
        script = (n, ws) -> {
            subscribed(ws, 0);
            for (long s = 1; s <= 3; s++) {
                data(ws, s);
            }
        };
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Collector c = new Collector(3) {
            @Override
            public void onMessage(StreamMessage m) {
                super.onMessage(m);
                if (m.seq() == 1) {
                    throw new AssertionError("a failed assertion in a handler"); // an Error
                }
                if (m.seq() == 2) {
                    StreamClientTest.<RuntimeException>sneakyThrow(new java.io.IOException("as Kotlin throws it"));
                }
            }

            @Override
            public void onHandlerFailure(StreamMessage m, RuntimeException failure) {
                failures.add(failure.getCause());
            }
        };
        try (StreamClient s = stream(c).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "delivered after the handler threw: " + c.seqs);
        }
        assertEquals(range(1, 3), c.seqs);
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0) instanceof AssertionError, failures.toString());
        assertTrue(failures.get(1) instanceof java.io.IOException, failures.toString());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /**
     * A server that answers the upgrades with {@code refusals} in turn (status, error_no), then accepts: subscribed at
     * 0, seq 1. Returns the port; {@code upgrades} gets each upgrade's X-Timestamp and X-Signature.
     */
    private int refusingServer(List<int[]> refusals, List<String> upgrades) throws Exception {
        return vertx.createHttpServer().requestHandler(req -> {
            upgrades.add(req.getHeader("X-Timestamp") + " " + req.getHeader("X-Signature"));
            if (upgrades.size() <= refusals.size()) {
                int[] refusal = refusals.get(upgrades.size() - 1);
                req.response().setStatusCode(refusal[0]).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("error", "refused").put("error_no", refusal[1])
                                .put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736").encode());
                return;
            }
            req.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> {
                subscribed(ws, 0);
                data(ws, 1);
            }));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static Credentials ed25519Key() throws Exception {
        return Credentials.ed25519("otk_k", java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair()
                .getPrivate());
    }

    @Test
    void anUpgradeRefusedAsAReplayedSignatureIsSignedAfreshAndRetriedNotTheEndOfTheStream() throws Exception {
        List<String> upgrades = new CopyOnWriteArrayList<>();
        int port = refusingServer(List.of(new int[] {401, -2010}), upgrades);
        Collector c = new Collector(1);
        try (StreamClient s = StreamClient.builder("http://127.0.0.1:" + port, "/v1/stream/orders", ed25519Key())
                .channels("orders").listener(c).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start()) {
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "subscribed after the refusal: " + c.states);
        }
        assertEquals(List.of(1L), c.seqs);
        assertEquals(2, upgrades.size(), upgrades.toString());
        assertTrue(!upgrades.get(0).equals(upgrades.get(1)), "signed afresh: " + upgrades);
        assertEquals(List.of(StreamState.CONNECTING, StreamState.RECONNECTING, StreamState.LIVE),
                c.states.subList(0, 3));
    }

    @Test
    void anUpgradeRefusedForAnotherReasonEndsTheStream() throws Exception {
        List<String> upgrades = new CopyOnWriteArrayList<>();
        int port = refusingServer(List.of(new int[] {401, -2004}, new int[] {401, -2004}), upgrades);
        CountDownLatch closed = new CountDownLatch(1);
        Collector c = new Collector(1) {
            @Override
            public void onState(StreamState s, String reason) {
                super.onState(s, reason);
                if (s == StreamState.CLOSED) {
                    closed.countDown();
                }
            }
        };
        try (StreamClient s = StreamClient.builder("http://127.0.0.1:" + port, "/v1/stream/orders", ed25519Key())
                .channels("orders").listener(c).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).start()) {
            assertTrue(closed.await(10, TimeUnit.SECONDS), "closed by itself: " + c.states);
        }
        assertEquals(List.of(StreamState.CONNECTING, StreamState.CLOSED), c.states);
        assertEquals(1, upgrades.size(), "a revoked key is not tried again: " + upgrades);
    }

    private static long httpSelectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")).count();
    }

    @Test
    void closedStreamsLeaveNoThreadsBehind() throws Exception {
        script = (n, ws) -> {
            subscribed(ws, 0);
            data(ws, 1);
        };
        long before = httpSelectorThreads();
        List<StreamClient> closed = new ArrayList<>(); // still referenced, as by a field of the caller's
        for (int i = 0; i < 5; i++) {
            Collector c = new Collector(1);
            StreamClient s = stream(c).start();
            assertTrue(c.done.await(10, TimeUnit.SECONDS), "received " + c.seqs);
            s.close();
            assertTrue(s.awaitClosed(Duration.ofSeconds(10)));
            closed.add(s);
        }
        assertTrue(httpSelectorThreads() - before <= 1, "at most the one shared client's selector: " + before + " -> "
                + httpSelectorThreads() + " after " + closed.size() + " streams closed");
    }
}
