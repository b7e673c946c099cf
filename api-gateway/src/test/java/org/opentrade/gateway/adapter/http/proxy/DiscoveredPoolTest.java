package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.common.discovery.ServiceInstance;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;

/**
 * A pool whose instances come from discovery ({@link UpstreamPool#update}), against real upstream
 * servers: instances come and go at runtime, draining ones finish what they have, weights share the
 * traffic, and an empty pool answers like a dead one.
 */
class DiscoveredPoolTest {
    private static final BiConsumer<RoutingContext, MultiMap> NO_IDENTITY = (ctx, headers) -> { };
    private final ProxyTestKit kit = new ProxyTestKit();

    @AfterEach
    void stop() {
        kit.close();
    }

    /** An upstream answering its name, counting the TCP connections it accepted. */
    private record Upstream(String name, int port, AtomicInteger connections) {
        ServiceInstance instance() {
            return ServiceInstance.of("market-api", name, "127.0.0.1", port);
        }
    }

    private Upstream upstream(String name) {
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = kit.upstream(c -> connections.incrementAndGet(), r -> r.response().end(name));
        return new Upstream(name, server.actualPort(), connections);
    }

    private UpstreamPool discoveredPool() {
        return kit.pool(ProxyTestKit.options("market-api").setDiscovery(UpstreamPoolOptions.Discovery.CLUSTER));
    }

    private List<String> bodies(int gw, int n) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ProxyTestKit.Reply r = kit.get(gw, "/v1/market/quotes");
            assertEquals(200, r.status(), r.body().toString());
            seen.add(r.body().toString());
        }
        return seen;
    }

    @Test
    void anEmptyPoolAnswers503InTheErrorModelLikeADeadOne() {
        UpstreamPool pool = discoveredPool();
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);
        assertFalse(pool.available());
        ProxyTestKit.Reply reply = kit.get(gw, "/v1/market/quotes");
        assertEquals(503, reply.status());
        JsonObject error = reply.json();
        assertEquals(-9001, error.getInteger("error_no"));
        assertEquals("market-api is unavailable", error.getString("error"));
        assertEquals(error.getString("trace_id"), reply.headers().get("X-Trace-Id"));
    }

    @Test
    void instancesAddedAndRemovedAtRuntimeTakeAndLoseTrafficWhileUnchangedOnesKeepTheirConnections() {
        Upstream a = upstream("a");
        Upstream b = upstream("b");
        UpstreamPool pool = discoveredPool();
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);

        pool.update(List.of(a.instance()));
        assertEquals(List.of("a", "a", "a"), bodies(gw, 3));
        UpstreamInstance aBefore = pool.instances().get(0);
        int aConnections = a.connections().get();
        assertEquals(1, aConnections, "sequential calls share one keep-alive connection");

        pool.update(List.of(a.instance(), b.instance()));
        List<String> both = bodies(gw, 6);
        assertEquals(3, both.stream().filter("b"::equals).count(), both.toString());
        assertSame(aBefore, pool.instances().get(0), "a kept its instance (breaker, health) across the change");

        pool.update(List.of(b.instance()));
        assertEquals(List.of("b", "b", "b"), bodies(gw, 3));
        pool.update(List.of(a.instance(), b.instance()));
        bodies(gw, 4);
        assertEquals(aConnections, a.connections().get(),
                "a's keep-alive connection was reused through every change, none opened");
        assertEquals(1, b.connections().get(), "b's keep-alive connection was reused");
    }

    @Test
    void aDrainingInstanceGetsNoNewRequestsWhileItsRequestInFlightFinishes() {
        List<Promise<Void>> held = new ArrayList<>();
        AtomicInteger slowServed = new AtomicInteger();
        HttpServer slow = kit.upstream(0, (HttpServerRequest r) -> {
            slowServed.incrementAndGet();
            Promise<Void> release = Promise.promise();
            held.add(release);
            release.future().onComplete(v -> r.response().end("slow"));
        });
        Upstream fast = upstream("fast");
        ServiceInstance slowInstance = ServiceInstance.of("market-api", "slow", "127.0.0.1", slow.actualPort());
        UpstreamPool pool = discoveredPool();
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);
        pool.update(List.of(slowInstance, fast.instance()));

        // Rotation order is slow, fast: the first request goes to slow and is held there.
        Future<ProxyTestKit.Reply> inFlight = kit.callAsync(gw, HttpMethod.GET, "/v1/market/quotes");
        kit.awaitTrue("a request held by the slow instance", () -> slowServed.get() == 1);

        pool.update(List.of(slowInstance.asDraining(), fast.instance()));
        assertTrue(pool.instances().get(0).draining());
        assertEquals(List.of("fast", "fast", "fast", "fast"), bodies(gw, 4));
        assertEquals(1, slowServed.get(), "the draining instance got a new request");

        kit.onClient(() -> held.forEach(p -> p.tryComplete()));
        ProxyTestKit.Reply finished = ProxyTestKit.await(inFlight);
        assertEquals(200, finished.status());
        assertEquals("slow", finished.body().toString());
    }

    @Test
    void weightsShareNewRequestsInProportionAndInterleaved() {
        Upstream a = upstream("a");
        Upstream b = upstream("b");
        UpstreamPool pool = discoveredPool();
        int gw = kit.gateway(new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY), null);
        pool.update(List.of(new ServiceInstance("market-api", "a", "127.0.0.1", a.port(), 3, false),
                new ServiceInstance("market-api", "b", "127.0.0.1", b.port(), 1, false)));
        List<String> seen = bodies(gw, 8);
        assertEquals(6, seen.stream().filter("a"::equals).count(), seen.toString());
        for (int i = 0; i + 1 < seen.size(); i++) {
            assertFalse(seen.get(i).equals("b") && seen.get(i + 1).equals("b"), "b twice in a row: " + seen);
        }
        // Weight 0 is announced as "no new requests", like draining.
        pool.update(List.of(new ServiceInstance("market-api", "a", "127.0.0.1", a.port(), 0, false), b.instance()));
        assertEquals(List.of("b", "b"), bodies(gw, 2));
    }

    @Test
    void twoAnnouncementsOfOneAddressCountAsOneInstanceThatServesIfEitherDoes() {
        Upstream a = upstream("a");
        UpstreamPool pool = discoveredPool();
        ServiceInstance old = ServiceInstance.of("market-api", "a-old", "127.0.0.1", a.port()).asDraining();
        ServiceInstance restarted = ServiceInstance.of("market-api", "a-new", "127.0.0.1", a.port());
        pool.update(List.of(old, restarted));
        assertEquals(1, pool.instances().size());
        assertTrue(pool.available());
    }

    @Test
    void rotationWithEqualWeightsIsTheInstancesInOrderAndSkipsThoseThatDoNotServe() {
        UpstreamPool pool = discoveredPool();
        pool.update(List.of(ServiceInstance.of("market-api", "1", "127.0.0.1", 1001),
                ServiceInstance.of("market-api", "2", "127.0.0.1", 1002).asDraining(),
                ServiceInstance.of("market-api", "3", "127.0.0.1", 1003),
                new ServiceInstance("market-api", "4", "127.0.0.1", 1004, 2, false)));
        UpstreamInstance[] rotation = UpstreamPool.rotation(pool.instances());
        List<String> order = new ArrayList<>();
        for (UpstreamInstance u : rotation) {
            order.add(u.target());
        }
        // Weights 1, 1, 2 (the draining one left out): four turns, the heavy one's two apart.
        assertEquals(List.of("127.0.0.1:1004", "127.0.0.1:1001", "127.0.0.1:1003", "127.0.0.1:1004"), order);
    }

    @Test
    void clusterDiscoveryTakesNoTargetsAndStaticNeedsThem() {
        IllegalArgumentException withTargets = assertThrows(IllegalArgumentException.class,
                () -> ProxyTestKit.options("market-api", 8081).setDiscovery(UpstreamPoolOptions.Discovery.CLUSTER)
                        .validate());
        assertTrue(withTargets.getMessage().startsWith("upstreams.market-api.targets"), withTargets.getMessage());
        assertTrue(withTargets.getMessage().contains("discovery is cluster"), withTargets.getMessage());
        ProxyTestKit.options("market-api").setDiscovery(UpstreamPoolOptions.Discovery.CLUSTER).validate();
    }
}
