package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one operations-endpoint implementation on a server of its own (as the launcher's IT uses it too). */
class OperationsEndpointsTest {
    private final AtomicBoolean ready = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(OperationsEndpoints.router(vertx, ready::get,
                        "an upstream pool has no usable instance", () -> "opentrade_up 1\n"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyAnswers503WithTheErrorModelUntilReady() throws Exception {
        HttpResponse<String> notReady = send("GET", "/ready");
        assertEquals(503, notReady.statusCode());
        JsonObject e = new JsonObject(notReady.body());
        assertEquals(-9001, e.getInteger("error_no"));
        assertEquals("an upstream pool has no usable instance", e.getString("error"));
        assertEquals(notReady.headers().firstValue("X-Trace-Id").orElseThrow(), e.getString("trace_id"));
        ready.set(true);
        HttpResponse<String> r = send("GET", "/ready");
        assertEquals(200, r.statusCode());
        assertEquals("READY", new JsonObject(r.body()).getString("status"));
    }

    @Test
    void healthMetricsAndWrongMethods() throws Exception {
        assertEquals("UP", new JsonObject(send("GET", "/health").body()).getString("status"));
        HttpResponse<String> metrics = send("GET", "/metrics");
        assertEquals("opentrade_up 1\n", metrics.body());
        assertEquals(OperationsEndpoints.METRICS_CONTENT_TYPE, metrics.headers().firstValue("Content-Type").orElse(null));
        HttpResponse<String> wrong = send("POST", "/health");
        assertEquals(405, wrong.statusCode());
        assertEquals(-1005, new JsonObject(wrong.body()).getInteger("error_no"));
        assertEquals(404, send("GET", "/nothing").statusCode());
    }
}
