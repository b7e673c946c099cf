package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.port.Await;

/**
 * A stream's opening is a request like any other: its SERVER span ends (status 101) and holds the CLIENT span of
 * its upstream hop, and it is counted in {@code opentrade_gateway_requests_total}. Vert.x Web runs no end handler
 * for a request upgraded to a WebSocket, so before {@code AnswerEnd} the trace of every stream held the CLIENT
 * span alone (its parent never ended, never stored) and no 101 was ever counted. Production wiring (tracing on),
 * a plain Vert.x WebSocket upstream.
 */
class StreamRequestsEndTest {
    @TempDir
    Path dir;
    private final Vertx upstreamVertx = Vertx.vertx();
    private TestGateway gw;
    private JsonObject key;

    @BeforeEach
    void start() throws Exception {
        HttpServer upstream = upstreamVertx.createHttpServer()
                .webSocketHandler(ws -> ws.writeTextMessage("hello"))
                .requestHandler(r -> r.response().putHeader("Content-Type", "application/json").end("{}"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String target = "127.0.0.1:" + upstream.actualPort();
        gw = TestGateway.startServer(dir, "upstreams:\n"
                + "  market-api:\n    targets: " + target + "\n    health_interval: 10m\n"
                + "  trade-api:\n    targets: " + target + "\n    health_interval: 10m\n");
        String session = gw.signUpAndLogIn("streamer@example.com");
        key = gw.createKey(session, new JsonObject().put("scopes", new JsonArray().add("market:read")));
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        upstreamVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStreamsOpeningEndsItsServerSpanAndIsCounted() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("X-API-Key", key.getString("key_id")).header("X-API-Secret", key.getString("secret"))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .buildAsync(URI.create("ws://127.0.0.1:" + gw.port() + "/v1/stream/market"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        received.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            assertEquals("hello", Await.element(received, m -> true));
            String[] keyHeaders = {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
            JsonObject[] spans = new JsonObject[2]; // the gateway's SERVER and CLIENT spans of the opening
            Await.until(Duration.ofSeconds(10), () -> {
                HttpResponse<String> trace = gw.get("/v1/traces/" + traceId, keyHeaders);
                if (trace.statusCode() != 200) {
                    return false;
                }
                spans[0] = null;
                spans[1] = null;
                for (Object o : new JsonObject(trace.body()).getJsonArray("spans")) {
                    JsonObject span = (JsonObject) o;
                    if ("SERVER".equals(span.getString("kind"))) {
                        spans[0] = span;
                    } else if ("CLIENT".equals(span.getString("kind"))) {
                        spans[1] = span;
                    }
                }
                return spans[0] != null && spans[1] != null;
            });
            JsonObject server = spans[0];
            JsonObject client = spans[1];
            assertEquals("GET /v1/stream/market", server.getString("name"), server.encode());
            assertEquals(101L, server.getJsonObject("attributes").getLong("http.response.status_code"), server.encode());
            assertEquals("00f067aa0ba902b7", server.getString("parent_span_id"), "the caller's span is its parent");
            assertEquals(server.getString("span_id"), client.getString("parent_span_id"),
                    "the upstream hop is the opening's child: " + client.encode());
            HttpResponse<String> metrics = gw.get("/metrics");
            assertEquals(200, metrics.statusCode());
            String line = "opentrade_gateway_requests_total{route=\"GET /v1/stream/market\",status=\"101\"} 1";
            assertTrue(metrics.body().contains(line + "\n"), "the opening is counted: " + metrics.body().lines()
                    .filter(l -> l.startsWith("opentrade_gateway_requests_total")).toList());
            assertNotNull(ws);
        } finally {
            ws.abort();
        }
    }
}
