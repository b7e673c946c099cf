package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone gateway's graceful stop (SIGTERM), on the production wiring with a real upstream:
 * during the notice it is not ready but serves, telling clients to reconnect; then it refuses new
 * connections, tells open streams to reconnect (1001 in the error model), answers the request in flight
 * and ends once that is done, without waiting out the grace.
 */
class GracefulStopTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    private Vertx upstreamVertx;
    private HttpServer upstream;
    private final CopyOnWriteArrayList<Promise<Void>> held = new CopyOnWriteArrayList<>();
    private TestGateway gw;
    private StreamKit kit;
    private JsonObject key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        upstreamVertx = Vertx.vertx();
        upstream = upstreamVertx.createHttpServer()
                .webSocketHandler(ws -> ws.writeTextMessage("hello"))
                .requestHandler(req -> {
                    if (req.path().endsWith("/quotes") && "held".equals(req.getParam("symbols"))) {
                        Promise<Void> release = Promise.promise();
                        release.future().onComplete(v -> req.response().end("{\"held\":true}"));
                        held.add(release);
                    } else {
                        req.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
                    }
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String target = "127.0.0.1:" + upstream.actualPort();
        gw = TestGateway.startServer(Vertx.vertx(), dir, "upstreams:\n"
                + "  market-api:\n    targets: " + target + "\n    health_interval: 10m\n"
                + "  trade-api:\n    targets: " + target + "\n    health_interval: 10m\n", null,
                "  shutdown_notice: 1s\n  shutdown_grace: 60s\n");
        String session = gw.signUpAndLogIn("graceful@example.com");
        key = gw.createKey(session, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        kit = new StreamKit();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            held.forEach(Promise::tryComplete);
            if (gw != null) {
                gw.close();
            }
        } finally {
            if (kit != null) {
                kit.close();
            }
            upstreamVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + path))
                .header("X-API-Key", key.getString("key_id")).header("X-API-Secret", key.getString("secret"));
    }

    @Test
    void aStopServesThroughItsNoticeThenEndsStreamsAnswersWhatIsInFlightAndRefusesNewConnections()
            throws Exception {
        assertEquals(200, http.send(get("/ready").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        StreamKit.Stream stream = kit.open(gw.port(), "/v1/stream/market", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret"));
        assertEquals("hello", stream.nextMessage());
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(get("/v1/market/quotes?symbols=held").build(),
                HttpResponse.BodyHandlers.ofString());
        org.opentrade.gateway.port.Await.until(WAIT, () -> !held.isEmpty());

        Future<Void> stopped = gw.stop.run();

        // The notice: not ready, still serving, every answer closes its connection.
        HttpResponse<String> ready = http.send(get("/ready").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, ready.statusCode(), ready.body());
        assertEquals(-9001, new JsonObject(ready.body()).getInteger("error_no"), ready.body());
        assertTrue(ready.body().contains("shutting down"), ready.body());
        HttpResponse<String> served = http.send(get("/v1/market/quotes?symbols=A").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, served.statusCode(), served.body());
        assertEquals("close", served.headers().firstValue("Connection").orElse(""), "told to reconnect: " + served.headers());
        // A stream opened during the notice is served too, and told to reconnect with the others below.
        StreamKit.Stream late = kit.open(gw.port(), "/v1/stream/market", "X-API-Key", key.getString("key_id"),
                "X-API-Secret", key.getString("secret"));
        assertEquals("hello", late.nextMessage());

        // Then: the stream is told to reconnect, with the error model; new connections are refused.
        assertEquals((short) 1001, stream.closeCode(), stream.awaitClose());
        JsonObject reason = stream.closeReason();
        assertEquals(-9001, reason.getInteger("error_no"), reason.encode());
        assertTrue(reason.getString("trace_id").matches("[0-9a-f]{32}"), reason.encode());
        assertEquals((short) 1001, late.closeCode(), late.awaitClose());
        org.opentrade.gateway.port.Await.until(WAIT, () -> {
            try (Socket s = new Socket("127.0.0.1", gw.port())) {
                return false;
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        assertFalse(stopped.isComplete(), "the request in flight holds the stop");
        assertFalse(inFlight.isDone());

        upstreamVertx.runOnContext(v -> held.forEach(Promise::tryComplete));
        HttpResponse<String> answered = inFlight.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals(new JsonObject().put("held", true), new JsonObject(answered.body()));
        // Long before the 60 s grace: the stop ends with its last request.
        stopped.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThrows(IOException.class, () -> http.send(get("/ready").build(), HttpResponse.BodyHandlers.ofString()));
    }
}
