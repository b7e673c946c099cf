package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.testkit.RawWebSocket;

class WebSocketProxyHandlerTest {
    /** A pinger that wrote nothing for this long is taken as stopped by the gateway (its buffers are full). */
    private static final java.time.Duration STALLED = java.time.Duration.ofSeconds(2);
    private final ProxyTestKit kit = new ProxyTestKit();
    private final Promise<String> upstreamSawClose = Promise.promise();
    private final Promise<JsonObject> upstreamSawHandshake = Promise.promise();

    @AfterEach
    void stop() {
        kit.close();
    }

    /** An echo upstream; "close-me" makes it close with 4001 "bye". */
    private int echoUpstream() {
        return kit.webSocketUpstream(ws -> {
            JsonObject h = new JsonObject().put("uri", ws.uri());
            ws.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
            upstreamSawHandshake.tryComplete(h);
            ws.closeHandler(v -> upstreamSawClose.tryComplete(ws.closeStatusCode() + " " + ws.closeReason()));
            ws.textMessageHandler(text -> {
                if (text.equals("close-me")) {
                    ws.close((short) 4001, "bye");
                } else {
                    ws.writeTextMessage(text);
                }
            });
            ws.binaryMessageHandler(ws::writeBinaryMessage);
        }).actualPort();
    }

    private int gatewayTo(UpstreamPoolOptions options) {
        UpstreamPool pool = kit.pool(options);
        return kit.gateway(null, new WebSocketProxyHandler(pool, UpstreamHopListener.NONE,
                (ctx, headers) -> headers.set("X-OpenTrade-Developer", "dev-1")));
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(ProxyTestKit.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * {@code closed} ("<code> <reason>") has {@code code} and, as its reason, the error model: {@code message},
     * {@code errorNo} and a trace id, like every other error the gateway answers.
     */
    private static void assertClose(String closed, int code, String message, int errorNo) {
        int space = closed.indexOf(' ');
        assertEquals(Integer.toString(code), closed.substring(0, space), closed);
        io.vertx.core.json.JsonObject model = new io.vertx.core.json.JsonObject(closed.substring(space + 1));
        assertEquals(message, model.getString("error"), closed);
        assertEquals(errorNo, model.getInteger("error_no"), closed);
        assertTrue(model.getString("trace_id", "").matches("[0-9a-f]{32}"), closed);
    }

    @Test
    void textAndBinaryMessagesEchoThroughTheProxyWithFilteredHandshakeHeaders() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<Buffer> binary = new CompletableFuture<>();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", "key-1").add("X-API-Secret", "s")
                .add("X-OpenTrade-Developer", "mallory");
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market?symbols=600000.SH", headers, s -> {
            s.textMessageHandler(text::complete);
            s.binaryMessageHandler(binary::complete);
        }));
        kit.onClient(() -> {
            ws.writeTextMessage("{\"op\":\"subscribe\",\"streams\":[\"trades:600000.SH\"]}");
            ws.writeBinaryMessage(Buffer.buffer(new byte[] {0, 1, 2, (byte) 255}));
        });
        assertEquals("{\"op\":\"subscribe\",\"streams\":[\"trades:600000.SH\"]}", get(text));
        assertEquals(Buffer.buffer(new byte[] {0, 1, 2, (byte) 255}), get(binary));
        JsonObject h = ProxyTestKit.await(upstreamSawHandshake.future());
        assertEquals("/v1/stream/market?symbols=600000.SH", h.getString("uri"));
        assertEquals("key-1", h.getString("x-api-key"));
        assertEquals("dev-1", h.getString("x-opentrade-developer"));
        assertNull(h.getString("x-api-secret"));
    }

    @Test
    void clientCloseCodeAndReasonReachTheUpstream() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null,
                s -> s.textMessageHandler(echoed::complete)));
        kit.onClient(() -> ws.writeTextMessage("hi"));
        get(echoed);
        kit.onClient(() -> ws.close((short) 4000, "client bye"));
        assertEquals("4000 client bye", ProxyTestKit.await(upstreamSawClose.future()));
    }

    @Test
    void upstreamCloseCodeAndReasonReachTheClient() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null,
                s -> s.closeHandler(v -> closed.complete(s.closeStatusCode() + " " + s.closeReason()))));
        kit.onClient(() -> ws.writeTextMessage("close-me"));
        assertEquals("4001 bye", get(closed));
    }

    /**
     * Frames that keep coming after one side closed are dropped quietly until the bridge ends: Vert.x's
     * {@code writeQueueFull()} throws on a closed socket, and in the all-in-one every frame a client kept sending
     * after market-api closed it for flooding logged an unhandled exception with its stack trace (4 303 in one
     * fuzz run; 563 for 2 000 pings and a close, 1 006 for a flood of 3 000). This harness (one Vert.x, the
     * sockets on one event loop) does not hit that window: the test passes without the fix too, and guards only
     * the behaviour. The fix was checked against the all-in-one with the same two clients (0 and 0 after it).
     */
    @Test
    void framesAfterTheUpstreamClosedAreDroppedWithoutAnUnhandledException() throws Exception {
        List<java.util.logging.LogRecord> unhandled = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getThrown() != null && String.valueOf(r.getThrown().getMessage()).contains("WebSocket is closed")) {
                    unhandled.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
            WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null, s -> { }));
            // Both ways: the upstream echoes 2 000 messages towards a client that has closed by then, and the
            // client's messages after "close-me" go towards an upstream that has.
            kit.onClient(() -> {
                for (int i = 0; i < 2_000; i++) {
                    ws.writeTextMessage("{\"op\":\"ping\"}");
                }
                ws.close((short) 1000, "done");
            });
            assertEquals("1000 done", ProxyTestKit.await(upstreamSawClose.future()));
            int gw2 = gw;
            CompletableFuture<String> closedToo = new CompletableFuture<>();
            WebSocket ws2 = ProxyTestKit.await(kit.webSocket(gw2, "/v1/stream/market", null,
                    s -> s.closeHandler(v -> closedToo.complete(s.closeStatusCode() + " " + s.closeReason()))));
            kit.onClient(() -> {
                ws2.writeTextMessage("close-me");
                for (int i = 0; i < 2_000; i++) {
                    ws2.writeTextMessage("{\"op\":\"ping\"}");
                }
            });
            assertEquals("4001 bye", get(closedToo));
            Thread.sleep(500); // frames still on their way when the close was seen
            assertEquals(List.of(), unhandled.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
        } finally {
            root.removeHandler(capture);
        }
    }

    /** The headers of a WebSocket opening handshake (RFC 6455's sample key), with {@code version}. */
    private static io.vertx.core.MultiMap handshake(String version) {
        return io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Connection", "Upgrade").add("Upgrade", "websocket")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").add("Sec-WebSocket-Version", version);
    }

    /**
     * A request the caller's upgrade would refuse is answered in the error model before anything is done for
     * it: no stream is opened (and closed) at the service, which the order stream would take as a disconnect
     * (with cancel_on_disconnect, every open order of the account was cancelled by a plain GET).
     */
    @Test
    void aRequestThatIsNotAWebSocketHandshakeGetsTheErrorModelAndOpensNothingUpstream() throws Exception {
        AtomicInteger upstreamOpened = new AtomicInteger();
        int up = kit.webSocketUpstream(ws -> upstreamOpened.incrementAndGet()).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("trade-api", up));
        ProxyTestKit.Reply plain = kit.get(gw, "/v1/stream/orders?cancel_on_disconnect=true");
        assertEquals(400, plain.status());
        assertEquals(-1001, plain.json().getInteger("error_no"));
        assertEquals(plain.json().getString("trace_id"), plain.headers().get("X-Trace-Id"));
        ProxyTestKit.Reply version = kit.call(gw, io.vertx.core.http.HttpMethod.GET,
                "/v1/stream/orders?cancel_on_disconnect=true", handshake("99"), null);
        assertEquals(426, version.status());
        assertEquals("13", version.headers().get("Sec-WebSocket-Version"));
        assertEquals(-1001, version.json().getInteger("error_no"));
        get(kit.webSocket(gw, "/v1/stream/orders", null, s -> { }).toCompletionStage().toCompletableFuture());
        ProxyTestKit.await(kit.vertx.timer(200));
        assertEquals(1, upstreamOpened.get(), "only the real handshake reached the upstream");
    }

    @Test
    void unreachableUpstreamAtUpgradeAnswers503WithTheErrorModelAndNoUpgrade() {
        int gw = gatewayTo(ProxyTestKit.options("market-api", kit.closedPort()));
        ProxyTestKit.Reply reply = kit.call(gw, io.vertx.core.http.HttpMethod.GET, "/v1/stream/market", handshake("13"), null);
        assertEquals(503, reply.status());
        assertEquals(-9001, reply.json().getInteger("error_no"));
        assertEquals("market-api is unavailable", reply.json().getString("error"));
        assertEquals(reply.json().getString("trace_id"), reply.headers().get("X-Trace-Id"));

        Throwable failure = null;
        try {
            kit.webSocket(gw, "/v1/stream/market", null, s -> { }).toCompletionStage().toCompletableFuture()
                    .get(ProxyTestKit.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (Exception e) {
            failure = e;
        }
        UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, failure);
        assertEquals(503, rejected.getStatus());
    }

    @Test
    void anUpgradeRefusedWith503AndRetryAfterIsRelayedAndNeverOpensTheBreaker() {
        String refusal = "{\"error\":\"not now; retry after the time in Retry-After\",\"error_no\":-6015}";
        int up = kit.upstream(0, r -> r.response().setStatusCode(503).putHeader("Retry-After", "1")
                .putHeader("Content-Type", "application/json").end(refusal)).actualPort();
        UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", up).setBreakerMaxFailures(3));
        int gw = kit.gateway(null, new WebSocketProxyHandler(pool, UpstreamHopListener.NONE, (ctx, headers) -> { }));
        for (int i = 0; i < 6; i++) {
            ProxyTestKit.Reply reply = kit.call(gw, io.vertx.core.http.HttpMethod.GET, "/v1/stream/market",
                    handshake("13"), null);
            assertEquals(503, reply.status());
            assertEquals(refusal, reply.body().toString());
            assertEquals("1", reply.headers().get("Retry-After"));
        }
        assertEquals("CLOSED", pool.instances().get(0).breakerState().name());
    }

    @Test
    void frameLargerThanThePoolLimitClosesTheClientWith1009AndTheUpstreamToo() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()).setWsMaxFrameBytes(1024));
        CompletableFuture<Short> closed = new CompletableFuture<>();
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null,
                s -> s.closeHandler(v -> closed.complete(s.closeStatusCode()))));
        kit.onClient(() -> ws.writeFinalBinaryFrame(Buffer.buffer(new byte[2000])));
        assertEquals((short) 1009, get(closed));
        assertTrue(ProxyTestKit.await(upstreamSawClose.future()).startsWith("1001"));
    }

    /**
     * A frame the gateway's WebSocket decoder refuses closes the client with the code RFC 6455 names and why, not
     * 1001 "going away" (which invites a client to reconnect and send it again); the upstream is told 1001.
     */
    @Test
    void aFrameTheDecoderRefusesClosesTheClientWithTheProtocolsCodeAndWhy() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] unmasked = new byte[2 + hello.length];
        unmasked[0] = (byte) 0x81;
        unmasked[1] = (byte) hello.length;
        System.arraycopy(hello, 0, unmasked, 2, hello.length);
        assertClose(rawClose(gw, unmasked), 1002, "received a frame that is not masked as expected", -1001);

        byte[] huge = new byte[2 + 8 + 4 + 70_000]; // one masked text frame of 70 000 bytes: over 64 KiB
        huge[0] = (byte) 0x81;
        huge[1] = (byte) (0x80 | 127);
        java.nio.ByteBuffer.wrap(huge, 2, 8).putLong(70_000);
        assertClose(rawClose(gw, huge), 1009, "frame larger than 65536 bytes", -1003);
        assertTrue(ProxyTestKit.await(upstreamSawClose.future()).startsWith("1001"));
    }

    /** RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007; UTF-8 split across frames is fine. */
    @Test
    void aTextMessageThatIsNotUtf8ClosesTheClientWith1007() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null,
                s -> s.textMessageHandler(echoed::complete)));
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        kit.onClient(() -> {
            ws.writeFrame(io.vertx.core.http.WebSocketFrame.textFrame("price ", false));
            ws.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {euro[0]}), false));
            ws.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {euro[1], euro[2]}),
                    true));
        });
        assertEquals("price €", get(echoed), "a character split across frames is UTF-8");

        byte[] bad = {'a', (byte) 0xC0, (byte) 0xAF};
        byte[] frame = new byte[2 + 4 + bad.length]; // masked with a zero key: the payload as it is
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | bad.length);
        System.arraycopy(bad, 0, frame, 6, bad.length);
        assertClose(rawClose(gw, frame), 1007, "a text message that is not UTF-8", -1001);
        assertTrue(ProxyTestKit.await(upstreamSawClose.future()).startsWith("1001"));
    }

    @Test
    void aRequestedSubprotocolIsNotPassedOnAndTheStreamOpensWithoutOne() throws Exception {
        // The streams speak no subprotocol; passed on, the upstream did not select it and the caller got 503.
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        try (Socket socket = new Socket("127.0.0.1", gw)) {
            socket.setSoTimeout((int) ProxyTestKit.WAIT.toMillis());
            socket.getOutputStream().write(("GET /v1/stream/market HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: foo, bar\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            assertFalse(head.toString().toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-protocol"), head.toString());
        }
    }

    /** Upgrades {@code /v1/stream/market} on a plain socket, sends {@code frame}, returns the close frame's "code reason". */
    private static String rawClose(int port, byte[] frame) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ProxyTestKit.WAIT.toMillis());
            RawWebSocket.upgrade(socket);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(frame);
            out.flush();
            while (true) { // frames until the close (0x88); none longer than 125 bytes comes before it here
                int b0 = in.read();
                int len = in.read() & 0x7f;
                byte[] payload = in.readNBytes(len);
                if (b0 == 0x88) {
                    int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                    return code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
                }
            }
        }
    }

    @Test
    void clientIsPingedEveryPingInterval() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream())
                .setWsPingInterval(Duration.ofMillis(100)));
        AtomicInteger pings = new AtomicInteger();
        CompletableFuture<Long> thirdPingAfterMillis = new CompletableFuture<>();
        long start = System.nanoTime();
        ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null, s -> s.frameHandler(frame -> {
            if (frame.isPing() && pings.incrementAndGet() == 3) {
                thirdPingAfterMillis.complete((System.nanoTime() - start) / 1_000_000);
            }
        })));
        long millis = get(thirdPingAfterMillis);
        assertTrue(millis >= 250 && millis < 2000, "third ping after " + millis + " ms");
    }
    @Test
    void anUpstreamWhoseProcessDiesClosesTheClientWith1011SoItReconnects() throws Exception {
        CompletableFuture<NetSocket> upstream = new CompletableFuture<>();
        int gw = gatewayTo(ProxyTestKit.options("market-api", kit.silentWebSocketUpstream(upstream::complete).actualPort()));
        CompletableFuture<String> closed = new CompletableFuture<>();
        ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null,
                s -> s.closeHandler(v -> closed.complete(s.closeStatusCode() + " " + s.closeReason()))));
        // The kernel closes a killed process's sockets: a FIN, no close frame.
        long start = System.nanoTime();
        get(upstream).close();
        assertClose(get(closed), 1011, "market-api connection failed", -9001);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2000, "the client was told after " + millis + " ms");
    }

    @Test
    void aHungUpstreamMissesAPongAndBothSidesAreClosedWithinTwoUpstreamPingIntervals() throws Exception {
        List<Integer> opcodes = new CopyOnWriteArrayList<>();
        CompletableFuture<NetSocket> upstreamGotClose = new CompletableFuture<>();
        int upstreamPort = kit.silentWebSocketUpstream(socket -> socket.handler(new ClientFrames(op -> {
            opcodes.add(op);
            if (op == 0x8) {
                upstreamGotClose.complete(socket);
            }
        }))).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", upstreamPort)
                .setWsUpstreamPingInterval(Duration.ofMillis(200)));
        CompletableFuture<String> closed = new CompletableFuture<>();
        long start = System.nanoTime();
        ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null,
                s -> s.closeHandler(v -> closed.complete(s.closeStatusCode() + " " + s.closeReason()))));
        assertClose(get(closed), 1001, "market-api did not answer a ping within 200 ms", -9002);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // The first ping goes out after one interval, the verdict comes with the next one.
        assertTrue(millis >= 350 && millis < 2000, "closed after " + millis + " ms");
        NetSocket upstream = get(upstreamGotClose);
        assertEquals(List.of(0x9, 0x8), opcodes, "one ping, unanswered, then the close");
        // A hung process never answers the close either: the proxy would wait its closing timeout (10 s)
        // before dropping the connection. Ending it here keeps the test short.
        upstream.close();
    }

    @Test
    void anUpstreamWhoseFramesKeepArrivingIsNotTakenForHungUntilTheyStop() throws Exception {
        // Never answers a ping (its pong could be queued behind frames the proxy has not read yet),
        // but sends a frame every 10 ms for 15 upstream ping intervals, then nothing: a process that hung.
        int sends = 150;
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<NetSocket> upstream = new CompletableFuture<>();
        int upstreamPort = kit.silentWebSocketUpstream(socket -> upstream.complete(socket)).actualPort();
        upstream.thenAccept(socket -> kit.vertx.setPeriodic(10, id -> {
            if (sent.incrementAndGet() >= sends) {
                kit.vertx.cancelTimer(id);
            }
            socket.write(Buffer.buffer(new byte[] {(byte) 0x81, 1, 'x'})); // a text frame "x", unmasked
        }));
        int gw = gatewayTo(ProxyTestKit.options("market-api", upstreamPort)
                .setWsUpstreamPingInterval(Duration.ofMillis(100)));
        AtomicInteger received = new AtomicInteger();
        CompletableFuture<String> closed = new CompletableFuture<>();
        ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null, s -> {
            s.textMessageHandler(t -> received.incrementAndGet());
            s.closeHandler(v -> closed.complete(s.closeStatusCode() + " " + s.closeReason()));
        }));
        assertClose(get(closed), 1001, "market-api did not answer a ping within 100 ms", -9002);
        assertEquals(sends, sent.get(), "closed only after the upstream stopped sending");
        assertTrue(received.get() >= sends - 2, "the client got the frames: " + received.get());
        get(upstream).close(); // it never answers the proxy's close frame either (see above)
    }

    @Test
    void anUpstreamThatAnswersPingsKeepsItsStream() throws Exception {
        AtomicInteger pingsSeen = new AtomicInteger();
        int upstreamPort = kit.webSocketUpstream(ws -> {
            ws.frameHandler(frame -> {
                if (frame.isPing()) {
                    pingsSeen.incrementAndGet(); // Vert.x answers it with a pong
                } else if (frame.isText() && frame.isFinal()) {
                    ws.writeTextMessage(frame.textData());
                }
            });
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", upstreamPort)
                .setWsUpstreamPingInterval(Duration.ofMillis(50)));
        CompletableFuture<Short> closed = new CompletableFuture<>();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null, s -> {
            s.closeHandler(v -> closed.complete(s.closeStatusCode()));
            s.textMessageHandler(echoed::complete);
        }));
        kit.awaitTrue("five pings answered by the upstream", () -> pingsSeen.get() >= 5);
        kit.onClient(() -> ws.writeTextMessage("still here"));
        assertEquals("still here", get(echoed));
        assertTrue(!closed.isDone(), "the stream stays open");
    }

    @Test
    void anUpstreamHeldBackByASlowClientIsNotTakenForHung() throws Exception {
        int chunk = 32 * 1024;
        long total = 32L * 1024 * 1024;
        AtomicLong lastWriteNanos = new AtomicLong();
        AtomicLong written = new AtomicLong();
        Promise<Void> upstreamClosed = Promise.promise();
        int upstreamPort = kit.webSocketUpstream(ws -> {
            ws.closeHandler(v -> upstreamClosed.tryComplete());
            // Floods the caller with binary frames as fast as the proxy takes them, then says "done".
            Runnable[] flood = new Runnable[1];
            flood[0] = () -> {
                while (!ws.writeQueueFull() && written.get() < total) {
                    ws.writeBinaryMessage(Buffer.buffer(new byte[chunk]));
                    written.addAndGet(chunk);
                    lastWriteNanos.set(System.nanoTime());
                }
                if (written.get() < total) {
                    ws.drainHandler(v -> flood[0].run());
                } else {
                    ws.writeTextMessage("done");
                }
            };
            flood[0].run();
        }).actualPort();
        int gw = gatewayTo(ProxyTestKit.options("market-api", upstreamPort)
                .setWsUpstreamPingInterval(Duration.ofMillis(100)));
        CompletableFuture<String> done = new CompletableFuture<>();
        AtomicLong received = new AtomicLong();
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null, s -> {
            s.pause(); // a client that reads nothing for now
            s.binaryMessageHandler(b -> received.addAndGet(b.length()));
            s.textMessageHandler(done::complete);
        }));
        // The buffers between them fill, the proxy pauses the upstream's reads, and its writes stop.
        kit.awaitTrue("the upstream blocked for 600 ms (six upstream ping intervals)", () -> upstreamClosed.future().isComplete()
                || written.get() > 0 && written.get() < total && System.nanoTime() - lastWriteNanos.get() > 600_000_000L);
        assertTrue(!upstreamClosed.future().isComplete(), "the upstream's stream was not closed while held back");
        kit.onClient(ws::resume);
        assertEquals("done", get(done));
        assertEquals(total, received.get());
    }

    /**
     * Vert.x answers every ping by itself, past the write queue: a client that sends pings and reads nothing made
     * the gateway queue one pong per ping without bound (an empty ping, 6 bytes, pinned a queue entry of about
     * 150 bytes). Once the caller's write queue is full a ping closes it 1008 with the error model, and its reads
     * stop, so no more pongs are made.
     */
    @Test
    void aClientThatPingsWithoutReadingIsClosedOnceItsWriteQueueIsFull() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        int pings = 200_000; // 125-byte payloads: about 25 MB of pongs, far more than the socket buffers hold
        byte[] batch = RawWebSocket.pings(1_000);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // a client that reads nothing: its window closes soon
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", gw));
            socket.setSoTimeout((int) ProxyTestKit.WAIT.toMillis());
            RawWebSocket.upgrade(socket);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            RawWebSocket.pinger(out, batch, pings / 1_000);
            try {
                upstreamSawClose.future().toCompletionStage().toCompletableFuture()
                        .get(ProxyTestKit.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the gateway kept answering the pings of a client that reads nothing");
            }
            // Now read: the pongs queued before the verdict, then the close frame.
            int pongs = 0;
            while (true) {
                int b0 = in.read();
                assertTrue(b0 >= 0, "the connection ended without a close frame after " + pongs + " pongs");
                int len = in.read() & 0x7f;
                byte[] payload = in.readNBytes(len);
                if (b0 == 0x8a) {
                    pongs++;
                } else if (b0 == 0x88) {
                    int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                    assertClose(code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8), 1008,
                            "pings are sent faster than their pongs are read", -3001);
                    break;
                }
            }
            assertTrue(pongs < pings, pongs + " pongs");
        }
    }

    /**
     * Once a caller is closed for pinging without reading, its reads stop: Vert.x grants one more read after each ping
     * it delivers (WebSocketImplBase.receiveFrame fetches 1 after a control frame), so a pause made in the ping's
     * handler was undone at once and the gateway went on reading every ping and queueing its pong, without bound (the
     * close frame waits behind the pongs, so the closing timeout never starts).
     */
    @Test
    void aClientClosedForItsPingsIsNoLongerRead() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        int batches = 200; // 200 000 pings of 125 bytes: about 26 MB, far more than the socket buffers hold
        byte[] batch = RawWebSocket.pings(1_000);
        try (Socket socket = unreadingStream(gw)) {
            AtomicInteger written = new AtomicInteger();
            Thread writer = RawWebSocket.pinger(socket.getOutputStream(), batch, batches, written);
            assertTrue(ProxyTestKit.await(upstreamSawClose.future()).startsWith("1001"));
            RawWebSocket.awaitStalled(writer, written, STALLED, ProxyTestKit.WAIT);
            assertTrue(written.get() < batches / 2, written.get() + " batches of 1 000 pings read by the gateway");
        }
    }

    /**
     * A stream the gateway is already closing (here: a text message that is not UTF-8, 1007) is read until the
     * caller's close frame or the closing timeout, and Vert.x answers every ping it reads: a caller that then pings
     * without reading must be stopped like any other.
     */
    @Test
    void aClientThatPingsWithoutReadingAfterItsStreamIsClosingIsNoLongerRead() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()));
        int batches = 200; // 200 000 pings of 125 bytes: about 26 MB, far more than the socket buffers hold
        byte[] batch = RawWebSocket.pings(1_000);
        try (Socket socket = unreadingStream(gw)) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, (byte) 0xFF}); // text, not UTF-8
            out.flush();
            assertTrue(ProxyTestKit.await(upstreamSawClose.future()).startsWith("1001"));
            AtomicInteger written = new AtomicInteger();
            Thread writer = RawWebSocket.pinger(out, batch, batches, written);
            RawWebSocket.awaitStalled(writer, written, STALLED, ProxyTestKit.WAIT);
            assertTrue(written.get() < batches / 2, written.get() + " batches of 1 000 pings read by the gateway");
        }
    }

    /**
     * A stream upgraded on a socket that reads nothing (its receive window closes soon) and whose writes the gateway's
     * reads drain (a small send buffer: what the gateway leaves unread is counted, not held here).
     */
    private static Socket unreadingStream(int gw) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.setSendBufferSize(65_536);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", gw));
        socket.setSoTimeout((int) ProxyTestKit.WAIT.toMillis());
        RawWebSocket.upgrade(socket);
        return socket;
    }

    /** Reads the frames a client (here the proxy) sends: each frame's opcode; masked, payloads under 126 bytes. */
    private static final class ClientFrames implements Handler<Buffer> {
        private final java.util.function.IntConsumer opcodes;
        private Buffer pending = Buffer.buffer();

        ClientFrames(java.util.function.IntConsumer opcodes) {
            this.opcodes = opcodes;
        }

        @Override
        public void handle(Buffer bytes) {
            pending.appendBuffer(bytes);
            while (pending.length() >= 2) {
                int length = pending.getByte(1) & 0x7f;
                int frame = 2 + 4 + length;
                if (length >= 126 || pending.length() < frame) {
                    return;
                }
                opcodes.accept(pending.getByte(0) & 0x0f);
                pending = pending.getBuffer(frame, pending.length());
            }
        }
    }
}
