package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;

class WebSocketProxyHandlerTest {
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

    @Test
    void unreachableUpstreamAtUpgradeAnswers503WithTheErrorModelAndNoUpgrade() {
        int gw = gatewayTo(ProxyTestKit.options("market-api", kit.closedPort()));
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/stream/market");
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
    void frameLargerThanThePoolLimitClosesTheClientWith1009AndTheUpstreamToo() throws Exception {
        int gw = gatewayTo(ProxyTestKit.options("market-api", echoUpstream()).setWsMaxFrameBytes(1024));
        CompletableFuture<Short> closed = new CompletableFuture<>();
        WebSocket ws = ProxyTestKit.await(kit.webSocket(gw, "/v1/stream/market", null,
                s -> s.closeHandler(v -> closed.complete(s.closeStatusCode()))));
        kit.onClient(() -> ws.writeFinalBinaryFrame(Buffer.buffer(new byte[2000])));
        assertEquals((short) 1009, get(closed));
        assertTrue(ProxyTestKit.await(upstreamSawClose.future()).startsWith("1001"));
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
}
