package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.port.Await;

/**
 * Shedding by a saturated event loop, which the in-flight bound (1 000 here, far above the 12 clients)
 * never sees: the upstream stand-in burns the gateway's own loop for a quarter of a millisecond per
 * market-data call, so a dozen clients in a closed loop keep it busy all the time. The loop caps the rate
 * of market data below what it served and answers the rest 503 -9004 at once, while every order goes
 * through; once the load stops the cap is lifted.
 */
class SaturatedLoopSheddingTest {
    /** Well under full saturation, so the test does not depend on the loop's thread getting a whole core. */
    private static final String LIMITS = "  max_event_loop_utilization: 0.6\n";
    private static final long BURN_NANOS = 250_000;

    @TempDir
    Path dir;
    private TestGateway gw;
    private String[] auth;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        // Plan limits far above the load: every refusal here is the loop's.
        gw = TestGateway.start(dir, "limits:\n  plans:\n    free:\n      weight_per_minute: 100000000\n"
                + "      orders_per_second_per_symbol: 100000\n", policy -> ctx -> {
            if (policy.routeClass() == RouteClass.MARKET_DATA) {
                long until = System.nanoTime() + BURN_NANOS;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // the work of a busy loop
                }
            }
            ctx.response().end("{\"route\":\"" + policy.name() + "\"}");
        }, ApiGateway::embeddedStores, LIMITS);
        JsonObject key = gw.createKey(gw.signUpAndLogIn("saturated@example.com"),
                new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade")));
        auth = new String[] {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
        // The loop's first requests decide its plan and warm it up; only then is it driven.
        gw.gateway.prometheus();
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = gw.request(path);
        for (int i = 0; i < auth.length; i += 2) {
            b.header(auth[i], auth[i + 1]);
        }
        return b;
    }

    @Test
    void aSaturatedLoopShedsMarketDataPastItsCapAndStillAdmitsEveryOrder() throws Exception {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        for (int c = 0; c < 12; c++) {
            clients.execute(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = http.send(request("/v1/market/quotes?symbols=600000.SH").GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        String what = r.statusCode() == 200 ? "200" : r.statusCode() + " "
                                + new JsonObject(r.body()).getInteger("error_no") + " retry-after "
                                + r.headers().firstValue("Retry-After").orElse("none");
                        answers.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        answers.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            });
        }
        int orders = 0;
        try {
            try {
                Await.until(java.time.Duration.ofSeconds(30),
                        () -> answers.getOrDefault("503 -9004 retry-after 1", new AtomicInteger()).get() >= 20);
            } catch (AssertionError e) {
                throw new AssertionError("no shedding: " + answers + "\n" + gw.gateway.prometheus(), e);
            }
            String metrics = gw.gateway.prometheus();
            assertTrue(metrics.matches("(?s).*opentrade_gateway_event_loop_admission_cap\\{loop=\"[^\"]+\"} [0-9]+\n.*"),
                    "a loop is capped: " + metrics);
            for (; orders < 20; orders++) {
                HttpResponse<String> order = http.send(request("/v1/orders").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"symbol\":\"600000.SH\"}")).header("Content-Type", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, order.statusCode(), "an order on a saturated loop: " + order.body());
            }
        } finally {
            stop.set(true);
            clients.shutdown();
            assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(20, orders);
        assertTrue(answers.keySet().stream().allMatch(a -> a.equals("200") || a.equals("503 -9004 retry-after 1")),
                "only answers and sheds: " + answers);
        assertTrue(answers.get("200").get() > answers.get("503 -9004 retry-after 1").get() / 10,
                "the capped loop still serves market data: " + answers);
        // The load is gone: the loop has room and refuses nothing, so its cap is lifted.
        Await.until(java.time.Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = http.send(request("/v1/market/quotes?symbols=600000.SH").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && gw.gateway.prometheus().contains("opentrade_gateway_event_loop_admission_cap{");
        });
        Await.until(java.time.Duration.ofSeconds(30), () -> {
            http.send(request("/v1/market/quotes?symbols=600000.SH").GET().build(), HttpResponse.BodyHandlers.ofString());
            return gw.gateway.prometheus().matches("(?s).*opentrade_gateway_event_loop_admission_cap\\{[^}]+} -1\n.*");
        });
    }
}
