package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;

class UpstreamPoolTest {
    private static final BiConsumer<RoutingContext, MultiMap> NO_IDENTITY = (ctx, headers) -> { };
    private final ProxyTestKit kit = new ProxyTestKit();

    @AfterEach
    void stop() {
        kit.close();
    }

    @Test
    void unhealthyInstanceIsSkippedAfterItsHealthCheckFailsAndUsedAgainAfterItRecovers() {
        AtomicBoolean bHealthy = new AtomicBoolean(true);
        int a = kit.upstream(0, r -> r.response().end("a")).actualPort();
        int b = kit.upstream(0, r -> {
            if (r.path().equals("/health")) {
                r.response().setStatusCode(bHealthy.get() ? 200 : 503).end();
            } else {
                r.response().end("b");
            }
        }).actualPort();
        UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", a, b)
                .setHealthInterval(Duration.ofMillis(20)).setUnhealthyThreshold(2).setHealthyThreshold(2));
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);
        UpstreamInstance instanceB = pool.instances().get(1);

        bHealthy.set(false);
        kit.awaitTrue("b marked unhealthy", () -> !instanceB.healthy());
        for (int i = 0; i < 4; i++) {
            assertEquals("a", kit.get(gw, "/v1/market/quotes").body().toString());
        }

        bHealthy.set(true);
        kit.awaitTrue("b marked healthy again", instanceB::healthy);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(kit.get(gw, "/v1/market/quotes").body().toString());
        }
        assertEquals(2, seen.stream().filter("b"::equals).count(), seen.toString());
    }

    @Test
    void killedUpstreamAnswers503FastOnceBreakerIsOpenAndRecoversOnTheSamePort() {
        HttpServer server = kit.upstream(0, r -> r.response().end("quote"));
        int port = server.actualPort();
        UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", port)
                .setBreakerMaxFailures(3).setBreakerResetTimeout(Duration.ofMillis(1500)).setMaxRetries(0));
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);
        assertEquals(200, kit.get(gw, "/v1/market/quotes").status());

        ProxyTestKit.await(server.close());
        UpstreamInstance instance = pool.instances().get(0);
        while (instance.breakerState() != CircuitBreakerState.OPEN) {
            // Each of these fails to connect; three in a row open the breaker.
            assertEquals(503, kit.get(gw, "/v1/market/quotes").status());
        }

        long worstNanos = 0;
        long totalNanos = 0;
        int requests = 50;
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/quotes");
            long took = System.nanoTime() - start;
            worstNanos = Math.max(worstNanos, took);
            totalNanos += took;
            assertEquals(503, reply.status());
            JsonObject error = reply.json();
            assertEquals(-9001, error.getInteger("error_no"));
            assertEquals("market-api is unavailable", error.getString("error"));
            assertTrue(error.getString("trace_id").matches("[0-9a-f]{32}"), error.encode());
            assertEquals(error.getString("trace_id"), reply.headers().get("X-Trace-Id"));
        }
        System.out.printf("breaker-open 503: mean %.3f ms, worst %.3f ms over %d requests%n",
                totalNanos / 1e6 / requests, worstNanos / 1e6, requests);
        assertTrue(worstNanos < 50_000_000L, "slowest 503 took " + worstNanos / 1e6 + " ms");

        kit.upstream(port, r -> r.response().end("quote again"));
        kit.awaitTrue("requests succeed after the upstream returns",
                () -> kit.get(gw, "/v1/market/quotes").status() == 200);
        assertEquals("quote again", kit.get(gw, "/v1/market/quotes").body().toString());
        assertEquals(CircuitBreakerState.CLOSED, instance.breakerState());
    }

    @Test
    void deadInstanceIsTakenOutByHealthChecksWithoutAnyTraffic() {
        HttpServer server = kit.upstream(0, r -> r.response().end());
        UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", server.actualPort())
                .setHealthInterval(Duration.ofMillis(20)).setUnhealthyThreshold(2));
        assertTrue(pool.available());
        ProxyTestKit.await(server.close());
        kit.awaitTrue("pool unavailable", () -> !pool.available());
    }

    @Test
    void badOptionsFailFastNamingTheKey() {
        IllegalArgumentException noTargets = assertThrows(IllegalArgumentException.class,
                () -> new UpstreamPoolOptions().setName("market-api").validate());
        assertTrue(noTargets.getMessage().startsWith("upstreams.market-api.targets"), noTargets.getMessage());
        IllegalArgumentException badTarget = assertThrows(IllegalArgumentException.class,
                () -> new UpstreamPoolOptions().setName("market-api").addTarget("localhost").validate());
        assertTrue(badTarget.getMessage().contains("'localhost' is not host:port"), badTarget.getMessage());
        IllegalArgumentException badTimeout = assertThrows(IllegalArgumentException.class,
                () -> new UpstreamPoolOptions().setName("trade-api").addTarget("h:1")
                        .setRequestTimeout(Duration.ZERO).validate());
        assertTrue(badTimeout.getMessage().startsWith("upstreams.trade-api.request_timeout"), badTimeout.getMessage());
    }
}
