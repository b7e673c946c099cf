package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.app.ExchangeMetrics;
import org.opentrade.gateway.adapter.http.OperationsEndpoints;

/**
 * The operations endpoints (the gateway's one implementation, with the launcher's readiness message
 * and exchange metrics) on a real HTTP server, with readiness and metrics under the test's control.
 *
 * <p>One Vert.x instance and server for the class, called with the JDK's client: twice in full CI runs a
 * test here, then written with vertx-junit5 (a Vert.x instance and server per test), timed out with
 * no answer and no failure of the client's own 10 s timeouts, so every wait below is bounded and a
 * wait that runs out fails with a dump of every thread (what the event loop was doing).
 */
class OperationsEndpointsIT {
    private static final AtomicBoolean READY = new AtomicBoolean(false);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Vertx vertx;
    private static HttpClient client;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = await("the server to listen", vertx.createHttpServer()
                .requestHandler(OperationsEndpoints.router(vertx, READY::get, AllInOne.OPERATIONS_NOT_READY,
                        () -> new ExchangeMetrics(READY.get(), 10, 20, 3, 1, 7, 5, 0, 0, 0, 0, new long[] {2},
                                new long[] {42}).prometheusText()))
                .listen(0, "127.0.0.1").toCompletionStage());
        port = server.actualPort();
        client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client = null; // the JDK's client has no close before Java 21; its connections end with it
        if (vertx != null) {
            await("Vert.x to close", vertx.close().toCompletionStage());
        }
    }

    @BeforeEach
    void notReady() {
        READY.set(false);
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return await(method + " " + path, client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** The stage's result, or an AssertionError naming {@code what} with every thread's stack after {@link #WAIT}. */
    private static <T> T await(String what, CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            StringBuilder dump = new StringBuilder();
            for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                dump.append(t);
            }
            throw new AssertionError("no answer for " + what + " within " + WAIT + "; threads:\n" + dump, e);
        }
    }

    @Test
    void readyIs503WithTheErrorModelUntilTheExchangeIsReady() throws Exception {
        HttpResponse<String> r = call("GET", "/ready");
        assertEquals(503, r.statusCode());
        JsonObject e = new JsonObject(r.body());
        assertEquals(-9001, e.getInteger("error_no"));
        assertTrue(e.getString("error").contains("not ready"));
        assertEquals(r.headers().firstValue("X-Trace-Id").orElse(null), e.getString("trace_id"));
        assertTrue(e.getString("trace_id").matches("[0-9a-f]{32}"));

        READY.set(true);
        assertEquals(200, call("GET", "/ready").statusCode());
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> r = call("GET", "/metrics");
        assertEquals(200, r.statusCode());
        String text = r.body();
        assertTrue(text.contains("# TYPE opentrade_exchange_commands_processed_total counter\n"
                + "opentrade_exchange_commands_processed_total 10\n"), text);
        assertTrue(text.contains("opentrade_exchange_live_orders 7\n"), text);
        assertTrue(text.contains("# TYPE opentrade_exchange_queued_commands gauge\n"
                + "opentrade_exchange_queued_commands{shard=\"0\"} 2\n"), text);
        assertTrue(text.contains("opentrade_exchange_feed_head_seq{shard=\"0\"} 42\n"), text);
        assertTrue(r.headers().firstValue("X-Trace-Id").isPresent());
    }

    @Test
    void wrongMethodAnswersWithTheErrorModel() throws Exception {
        HttpResponse<String> r = call("POST", "/health");
        assertEquals(405, r.statusCode());
        JsonObject e = new JsonObject(r.body());
        assertEquals(-1005, e.getInteger("error_no"));
        assertEquals(r.headers().firstValue("X-Trace-Id").orElse(null), e.getString("trace_id"));
    }
}
