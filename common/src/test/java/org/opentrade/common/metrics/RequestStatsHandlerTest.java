package org.opentrade.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-flight count a graceful stop waits for: requests until answered, WebSocket streams never; a stream's
 * opening is counted (101) as it opens.
 */
class RequestStatsHandlerTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final RequestStats STATS = new RequestStats("test");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static volatile CompletableFuture<Promise<Void>> held = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        RequestStatsHandler.mount(router, STATS);
        router.get("/held").handler(ctx -> {
            Promise<Void> p = Promise.promise();
            p.future().onComplete(v -> ctx.response().end("done"));
            held.complete(p);
        });
        router.get("/fast").handler(ctx -> ctx.response().end("fast"));
        router.get("/stream").handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> {
            org.opentrade.common.web.AnswerEnd.upgraded(ctx, 101, true); // as market-api and trade-api do
            ws.writeTextMessage("hello");
        }));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.actualPort() + path);
    }

    /**
     * The in-flight count once it stops falling, up to 5 s: an answer's end handler runs on the event loop after
     * the answer is written, so a client on another core can read the answer before the count goes down (it
     * failed so once in a suite run). A count that never reaches 0 still fails.
     */
    private static long inFlightOnceSettled() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (STATS.inFlight() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return STATS.inFlight();
    }

    @Test
    void aRequestIsInFlightUntilItsAnswerEndsAndAStreamNever() throws Exception {
        assertEquals("fast", HTTP.send(HttpRequest.newBuilder(uri("http", "/fast")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(0, inFlightOnceSettled(), "an answered request is no longer in flight");

        CompletableFuture<String> hello = new CompletableFuture<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(uri("ws", "/stream"), new WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                hello.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        assertEquals("hello", hello.get(10, TimeUnit.SECONDS));
        assertEquals(0, inFlightOnceSettled(), "an open stream is not a request in flight");
        // Its opening is counted as it opens: Vert.x Web runs no end handler for an upgraded request, so no stream
        // was ever in the request counters before AnswerEnd.
        assertTrue(STATS.prometheus().contains("test_requests_total{route=\"GET /stream\",status=\"101\"} 1\n"),
                STATS.prometheus());

        held = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(HttpRequest.newBuilder(uri("http", "/held")).build(),
                HttpResponse.BodyHandlers.ofString());
        Promise<Void> release = held.get(20, TimeUnit.SECONDS);
        assertEquals(1, STATS.inFlight(), "the held request is in flight");
        assertTrue(STATS.prometheus().contains("test_requests_in_flight 1\n"), STATS.prometheus());
        vertx.runOnContext(v -> release.complete());
        assertEquals("done", slow.get(10, TimeUnit.SECONDS).body());
        assertEquals(0, inFlightOnceSettled(), "the answer ended");
        ws.abort();
    }
}
