package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.port.Await;

/**
 * Through the production wiring ({@link GatewayServer}, one event loop): callers who hang up before
 * their answer do not free room for more requests while theirs still run upstream. Reads are reset
 * upstream; orders run to their end and keep their event loop's slot (and their pool's) until then.
 */
class CallerHangUpBoundsTest {
    @TempDir
    Path dir;
    private Vertx upstreamVertx;
    private TestGateway gw;
    /** Requests the upstream stand-in holds unanswered. */
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    /** How many orders the stand-in holds before it answers the rest at once. */
    private volatile int ordersToHold = Integer.MAX_VALUE;
    private String[] auth;

    @BeforeEach
    void start() throws Exception {
        upstreamVertx = Vertx.vertx();
        HttpServer up = upstreamVertx.createHttpServer().requestHandler(r -> {
            if (r.path().equals("/health")) {
                r.response().end("{}");
            } else if (r.path().startsWith("/v1/orders") && held.size() >= ordersToHold) {
                r.response().putHeader("Content-Type", "application/json").end("{\"order_id\":\"late\"}");
            } else {
                held.add(r);
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String target = "127.0.0.1:" + up.actualPort();
        gw = TestGateway.startServer(Vertx.vertx(), dir, "upstreams:\n"
                + "  market-api:\n    targets: " + target + "\n    health_interval: 10m\n    max_in_flight: 2\n"
                + "    in_flight_reserved_for_orders: 0\n    request_timeout: 30s\n"
                + "  trade-api:\n    targets: " + target + "\n    health_interval: 10m\n    request_timeout: 30s\n",
                null, "  event_loops: 1\n  max_in_flight_per_event_loop: 3\n  in_flight_reserved_for_orders: 1\n");
        JsonObject key = gw.createKey(gw.signUpAndLogIn("hangup@example.com"),
                new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade")));
        auth = new String[] {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        upstreamVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Sends a request on its own connection and hangs up once the upstream holds it. */
    private void sendAndHangUp(String method, String pathAndQuery, String body) throws Exception {
        int before = held.size();
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            OutputStream out = s.getOutputStream();
            out.write((method + " " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n" + auth[0] + ": " + auth[1] + "\r\n"
                    + auth[2] + ": " + auth[3] + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Await.until(Await.TIMEOUT, () -> held.size() == before + 1);
        }
    }

    private long closedEarly() {
        String metrics = gw.gateway.prometheus();
        String name = "\nopentrade_gateway_requests_closed_early_total ";
        int from = metrics.indexOf(name) + name.length();
        return Long.parseLong(metrics.substring(from, metrics.indexOf('\n', from)));
    }

    @Test
    void quotesWhoseCallersHangUpAreResetUpstreamSoThePoolsBoundHolds() throws Exception {
        for (int i = 0; i < 8; i++) {
            sendAndHangUp("GET", "/v1/market/quotes?symbols=600000.SH", "");
            HttpServerRequest upstream = held.get(i);
            // Before the fix all 8 stayed open upstream for their 30 s while the pool counted 0 of its 2.
            Await.until(Await.TIMEOUT, () -> upstream.response().closed());
        }
        // The gateway resets the upstream request and then, in the same event-loop task, frees the slot: the upstream
        // can see the reset before that task reaches the release (a race this thread lost under a loaded machine).
        Await.until(Await.TIMEOUT, () -> gw.full.upstreams().pool("market-api").inFlight().inFlight() == 0);
        java.net.http.HttpRequest.Builder b = gw.request("/v1/market/quotes?symbols=600000.SH").GET();
        for (int i = 0; i < auth.length; i += 2) {
            b.header(auth[i], auth[i + 1]);
        }
        CompletableFuture<HttpResponse<String>> next = java.net.http.HttpClient.newHttpClient()
                .sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
        Await.until(Await.TIMEOUT, () -> held.size() == 9);
        upstreamVertx.runOnContext(v -> held.get(8).response().end("{}"));
        assertEquals(200, next.get(10, TimeUnit.SECONDS).statusCode(), "the loop and the pool have their slots back");
    }

    @Test
    void ordersWhoseCallersHangUpKeepTheirEventLoopSlotsUntilTheUpstreamAnswers() throws Exception {
        ordersToHold = 3; // then it answers at once: an order admitted past the bound would show as a 200
        for (int i = 0; i < 3; i++) {
            sendAndHangUp("POST", "/v1/orders", "{\"symbol\":\"600000.SH\"}");
            long n = i + 1;
            Await.until(Await.TIMEOUT, () -> closedEarly() == n);
        }
        held.forEach(r -> assertFalse(r.response().closed(), "an order is never reset upstream"));

        HttpResponse<String> fourth = gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", auth);
        assertEquals(503, fourth.statusCode(), "the loop's 3 slots are the 3 orders still upstream: " + fourth.body());
        assertEquals(-9004, new JsonObject(fourth.body()).getInteger("error_no"));

        upstreamVertx.runOnContext(v -> held.forEach(r -> r.response().end("{\"order_id\":\"1\"}")));
        Await.until(Await.TIMEOUT, () -> gw.full.upstreams().pool("trade-api").inFlight().inFlight() == 0);
        HttpResponse<String> after = gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", auth);
        assertEquals(200, after.statusCode(), after.body());
    }
}
