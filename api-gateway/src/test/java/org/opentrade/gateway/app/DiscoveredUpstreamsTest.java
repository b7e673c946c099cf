package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.discovery.InMemoryServiceDiscovery;
import org.opentrade.common.discovery.ServiceDiscovery;
import org.opentrade.common.discovery.ServiceInstance;

/**
 * The whole gateway ({@link GatewayServer}: authentication, limits, the proxy) with
 * {@code upstreams.discovery: cluster}, following a registry handed in: what it routes to is what
 * the registry says, from an empty pool (503 in the error model) to an announced instance and back.
 * The cluster's own registry is {@code ClusterDiscoveryIT}'s.
 */
class DiscoveredUpstreamsTest {
    private static final String CLUSTER = "upstreams:\n  discovery: cluster\n  market-api:\n    health_interval: 10m\n";

    @TempDir
    Path dir;
    private final Vertx upstreamVertx = Vertx.vertx();
    private TestGateway gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        upstreamVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theGatewayRoutesToWhatTheRegistryAnnouncesAndAnswers503WhenItIsEmpty() throws Exception {
        InMemoryServiceDiscovery discovery = new InMemoryServiceDiscovery();
        gw = TestGateway.startServer(Vertx.vertx(), dir, CLUSTER, discovery);
        String bearer = "Bearer " + gw.signUpAndLogIn("discovered@example.com");
        assertTrue(!gw.full.upstreamsAvailable(), "no instance announced: not ready");

        HttpResponse<String> empty = gw.get("/v1/market/quotes?symbols=600000.SH", "Authorization", bearer);
        assertEquals(503, empty.statusCode());
        JsonObject error = new JsonObject(empty.body());
        assertEquals(-9001, error.getInteger("error_no"));
        assertEquals("market-api is unavailable", error.getString("error"));
        assertEquals(error.getString("trace_id"), empty.headers().firstValue("X-Trace-Id").orElseThrow());

        HttpServer upstream = upstreamVertx.createHttpServer().requestHandler(r -> r.response().end("{\"from\":\"m1\"}"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ServiceDiscovery.Announcement m1 = discovery.announce(ServiceInstance.of("market-api", "m1", "127.0.0.1",
                upstream.actualPort())).toCompletableFuture().get();
        HttpResponse<String> served = gw.get("/v1/market/quotes?symbols=600000.SH", "Authorization", bearer);
        assertEquals(200, served.statusCode(), served.body());
        assertEquals("m1", new JsonObject(served.body()).getString("from"));

        m1.drain().toCompletableFuture().get();
        assertEquals(503, gw.get("/v1/market/quotes?symbols=600000.SH", "Authorization", bearer).statusCode());
    }

    @Test
    void clusterDiscoveryOnAVertxThatIsNotClusteredStopsStartUpNamingTheKey() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> TestGateway.startServer(Vertx.vertx(), dir, CLUSTER, null));
        ConfigException cause = assertInstanceOf(ConfigException.class, e.getCause());
        assertTrue(cause.getMessage().contains("upstreams.discovery"), cause.getMessage());
        assertTrue(cause.getMessage().contains("not clustered"), cause.getMessage());
    }
}
