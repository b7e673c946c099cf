package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.port.Await;

/**
 * Shedding per event loop through the whole chain: a gateway whose loop admits 3 requests at once,
 * one of them kept for orders and cancels, in front of an upstream stand-in that holds market data
 * open and answers trading calls at once. The test server runs on one event loop, so every
 * request counts against the same bound.
 */
class OverloadSheddingTest {
    private static final String LIMITS = "  max_in_flight_per_event_loop: 3\n  in_flight_reserved_for_orders: 1\n";

    @TempDir
    Path dir;
    private TestGateway gw;
    /** Market data calls the upstream holds unanswered. */
    private final List<RoutingContext> held = new CopyOnWriteArrayList<>();
    private String[] auth;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(dir, "", policy -> ctx -> {
            if (policy.routeClass() == RouteClass.MARKET_DATA) {
                held.add(ctx);
            } else {
                ctx.response().end("{\"route\":\"" + policy.name() + "\"}");
            }
        }, ApiGateway::embeddedStores, LIMITS);
        JsonObject key = gw.createKey(gw.signUpAndLogIn("shed@example.com"),
                new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade")));
        auth = new String[] {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private CompletableFuture<HttpResponse<String>> quotesAsync() {
        java.net.http.HttpRequest.Builder b = gw.request("/v1/market/quotes?symbols=600000.SH").GET();
        for (int i = 0; i < auth.length; i += 2) {
            b.header(auth[i], auth[i + 1]);
        }
        return java.net.http.HttpClient.newHttpClient().sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void releaseHeld() {
        List<RoutingContext> now = List.copyOf(held);
        gw.vertx.runOnContext(v -> now.stream().filter(c -> !c.response().ended()).forEach(c -> c.response().end("{}")));
    }

    private static void assertShed(HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), r.body());
        assertEquals(-9004, new JsonObject(r.body()).getInteger("error_no"), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
        assertNotNull(r.headers().firstValue("X-Trace-Id").orElse(null));
    }

    @Test
    void marketDataPastTheLoopsBoundIsShedAtOnceWhileAnOrderAndACancelAreStillAdmitted() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        inFlight.add(quotesAsync());
        inFlight.add(quotesAsync());
        Await.until(Await.TIMEOUT, () -> held.size() == 2);

        HttpResponse<String> third = gw.get("/v1/market/quotes?symbols=600000.SH", auth);
        assertShed(third);
        assertEquals(2, held.size(), "the shed call never reached the upstream");
        // Shed before the request guard and routing: a path the guard refuses (400) is shed (503) too.
        assertShed(gw.get("/v1/market/%2e%2e/quotes", auth));
        assertShed(gw.get("/no/such/route", auth));
        inFlight.forEach(f -> assertFalse(f.isDone(), "the held quotes are still in flight"));

        HttpResponse<String> order = gw.post("/v1/orders", "{\"symbol\":\"600000.SH\"}", auth);
        assertEquals(200, order.statusCode(), order.body());
        HttpResponse<String> cancel = gw.send(gw.request("/v1/orders/42").DELETE().header(auth[0], auth[1])
                .header(auth[2], auth[3]));
        assertEquals(200, cancel.statusCode(), cancel.body());
        assertTrue(gw.gateway.prometheus().contains("opentrade_gateway_shed_total 3\n"), gw.gateway.prometheus());

        releaseHeld();
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            assertEquals(200, f.get(10, TimeUnit.SECONDS).statusCode());
        }
        CompletableFuture<HttpResponse<String>> again = quotesAsync();
        Await.until(Await.TIMEOUT, () -> held.size() == 3);
        releaseHeld();
        assertEquals(200, again.get(10, TimeUnit.SECONDS).statusCode());
    }
}
