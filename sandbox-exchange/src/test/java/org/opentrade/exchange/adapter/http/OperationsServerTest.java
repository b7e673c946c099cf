package org.opentrade.exchange.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The standalone exchange's operations endpoints on a real loopback server (port 0). */
class OperationsServerTest {
    private static final AtomicBoolean READY = new AtomicBoolean();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Vertx vertx;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = OperationsServer.start(vertx, "127.0.0.1", 0, READY::get, "the exchange is recovering",
                () -> "opentrade_exchange_ready " + (READY.get() ? 1 : 0) + "\n")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> send(String method, String path, String traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyFollowsTheExchangeAndAnswersTheErrorModelUntilThen() throws Exception {
        READY.set(false);
        HttpResponse<String> notYet = send("GET", "/ready", null);
        assertEquals(503, notYet.statusCode());
        JsonObject body = new JsonObject(notYet.body());
        assertEquals(-9001, body.getInteger("error_no"));
        assertEquals("the exchange is recovering", body.getString("error"));
        assertEquals(notYet.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
        READY.set(true);
        HttpResponse<String> ready = send("GET", "/ready", null);
        assertEquals(200, ready.statusCode());
        assertEquals("READY", new JsonObject(ready.body()).getString("status"));
    }

    @Test
    void healthAndMetricsAnswerWithTheirMediaTypes() throws Exception {
        HttpResponse<String> health = send("GET", "/health", null);
        assertEquals(200, health.statusCode());
        assertEquals("UP", new JsonObject(health.body()).getString("status"));
        READY.set(true);
        HttpResponse<String> metrics = send("GET", "/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertEquals(OperationsServer.METRICS_CONTENT_TYPE, metrics.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("opentrade_exchange_ready 1\n", metrics.body());
    }

    @Test
    void otherPathsAndMethodsGetTheErrorModelWithTheCallersTraceId() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> missing = send("GET", "/v1/orders", "00-" + trace + "-00f067aa0ba902b7-01");
        assertEquals(404, missing.statusCode());
        JsonObject body = new JsonObject(missing.body());
        assertEquals(-1004, body.getInteger("error_no"));
        assertEquals(trace, body.getString("trace_id"));
        assertEquals(trace, missing.headers().firstValue("X-Trace-Id").orElseThrow());
        HttpResponse<String> post = send("POST", "/health", null);
        assertEquals(405, post.statusCode());
        assertEquals(-1005, new JsonObject(post.body()).getInteger("error_no"));
        assertTrue(new JsonObject(post.body()).getString("error").contains("POST"));
    }
}
