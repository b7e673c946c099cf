package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.discovery.cluster.LoopbackCluster;
import org.opentrade.common.discovery.cluster.ServiceEndpoint;
import org.opentrade.gateway.adapter.http.proxy.UpstreamInstance;
import org.opentrade.gateway.adapter.http.proxy.UpstreamPool;
import org.opentrade.gateway.domain.RouteTable;

/**
 * A real gateway ({@link GatewayServer} on a clustered Vert.x, {@code upstreams.discovery: cluster})
 * and market-api stand-ins on other cluster members, in one JVM (Hazelcast over TCP/IP on
 * 127.0.0.1). Each stand-in announces itself with {@link ServiceEndpoint}, the hook the service
 * mains call. Health checks are off (10 minutes), so what the gateway routes to is what discovery
 * says: an instance that starts takes traffic, a draining one finishes what it has and gets nothing
 * new, and one whose member dies is dropped although its HTTP server still answers.
 */
class ClusterDiscoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String QUOTES = "/v1/market/quotes?symbols=600000.SH";
    private static final String HELD_QUOTES = "/v1/market/quotes?symbols=HOLD";

    private static LoopbackCluster cluster;
    @TempDir
    static Path dir;
    private static TestGateway gw;
    private static String bearer;
    private static Vertx instancesMember;
    private static Instance a;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A market-api stand-in: answers its name, counts what it served, holds {@code symbols=HOLD} calls if told to. */
    private static final class Instance {
        final String name;
        final HttpServer server;
        final AtomicInteger served = new AtomicInteger();
        final List<Promise<Void>> held = new CopyOnWriteArrayList<>();
        final ServiceEndpoint endpoint;

        private Instance(String name, HttpServer server, ServiceEndpoint endpoint) {
            this.name = name;
            this.server = server;
            this.endpoint = endpoint;
        }

        /** Listens on a free port of {@code member}, then announces itself as market-api. */
        static Instance start(Vertx member, String name, boolean holds) throws Exception {
            Instance[] self = new Instance[1];
            HttpServer server = await(member.createHttpServer().requestHandler(r -> {
                if (r.path().equals("/health")) {
                    r.response().end();
                    return;
                }
                self[0].served.incrementAndGet();
                JsonObject body = new JsonObject().put("from", name);
                if (holds && "HOLD".equals(r.getParam("symbols"))) {
                    Promise<Void> release = Promise.promise();
                    self[0].held.add(release);
                    release.future().onComplete(v -> r.response().end(body.put("held", true).encode()));
                } else {
                    r.response().end(body.encode());
                }
            }).listen(0, "127.0.0.1"));
            ServiceEndpoint endpoint = await(ServiceEndpoint.announce(member, RouteTable.MARKET, "127.0.0.1",
                    server.actualPort()));
            self[0] = new Instance(name, server, endpoint);
            return self[0];
        }

        String target() {
            return "127.0.0.1:" + server.actualPort();
        }
    }

    @BeforeAll
    static void startClusterAndGateway() throws Exception {
        cluster = new LoopbackCluster(5);
        Vertx gatewayMember = cluster.start();
        gw = TestGateway.startServer(gatewayMember, dir,
                "upstreams:\n  discovery: cluster\n  market-api:\n    health_interval: 10m\n", null);
        bearer = "Bearer " + gw.signUpAndLogIn("cluster@example.com");
        instancesMember = cluster.start();
        a = Instance.start(instancesMember, "a", false);
        awaitTrue("a discovered", () -> targets().contains(a.target()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static UpstreamPool market() {
        return gw.full.upstreams().pool(RouteTable.MARKET);
    }

    private static List<String> targets() {
        return market().instances().stream().map(UpstreamInstance::target).toList();
    }

    private static UpstreamInstance instance(String target) {
        return market().instances().stream().filter(u -> u.target().equals(target)).findFirst().orElse(null);
    }

    /** Who answered each of {@code n} calls through the gateway. */
    private List<String> from(int n) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = gw.get(QUOTES, "Authorization", bearer);
            assertEquals(200, r.statusCode(), r.body());
            seen.add(new JsonObject(r.body()).getString("from"));
        }
        return seen;
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return http.sendAsync(gw.request(path).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anInstanceThatStartsIsDiscoveredAndTakesItsShareOfTraffic() throws Exception {
        assertEquals(List.of("a", "a"), from(2));
        Vertx member = cluster.start();
        Instance b = Instance.start(member, "b", false);
        awaitTrue("b discovered", () -> targets().contains(b.target()));

        List<String> seen = from(6);
        assertEquals(3, seen.stream().filter("b"::equals).count(), seen.toString());
        assertEquals(3, seen.stream().filter("a"::equals).count(), seen.toString());

        await(b.endpoint.withdraw());
        awaitTrue("b withdrawn", () -> !targets().contains(b.target()));
        assertEquals(List.of("a", "a"), from(2));
    }

    @Test
    void anInstanceAnnouncedOnceReadyIsFoundOnlyWhenReady() throws Exception {
        Vertx member = instancesMember;
        HttpServer server = await(member.createHttpServer()
                .requestHandler(r -> r.response().end(new JsonObject().put("from", "late").encode()))
                .listen(0, "127.0.0.1"));
        String late = "127.0.0.1:" + server.actualPort();
        Promise<Void> ready = Promise.promise();
        Future<ServiceEndpoint> announced = ServiceEndpoint.announceOnceReady(member, RouteTable.MARKET, "127.0.0.1",
                server.actualPort(), 0, ready.future());
        // One announced after it is found: the registry has carried what the same member announced before.
        Instance marker = Instance.start(member, "marker", false);
        awaitTrue("marker discovered", () -> targets().contains(marker.target()));
        assertFalse(announced.isComplete(), "announced before ready");
        assertFalse(targets().contains(late), "found before ready");

        ready.complete();
        ServiceEndpoint endpoint = await(announced);
        awaitTrue("late discovered once ready", () -> targets().contains(late));
        assertTrue(from(3).contains("late"));

        await(endpoint.withdraw());
        await(marker.endpoint.withdraw());
        awaitTrue("both withdrawn", () -> !targets().contains(late) && !targets().contains(marker.target()));
    }

    @Test
    void aDrainingInstanceFinishesTheRequestsItHasAndGetsNoNewOnes() throws Exception {
        Instance c = Instance.start(instancesMember, "c", true);
        awaitTrue("c discovered", () -> targets().contains(c.target()));
        // Round-robin over a and c: within two calls one is held by c (a answers at once).
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        while (c.held.isEmpty()) {
            calls.add(sendAsync(HELD_QUOTES));
            awaitTrue("the call answered or held", () -> !c.held.isEmpty() || calls.get(calls.size() - 1).isDone());
        }
        CompletableFuture<HttpResponse<String>> inFlight = calls.get(calls.size() - 1);
        int servedBeforeDrain = c.served.get();

        // The held request is c's one in flight: the drain waits for it, not for the (long) grace.
        java.util.concurrent.CountDownLatch polled = new java.util.concurrent.CountDownLatch(5);
        java.util.function.IntSupplier held = () -> {
            polled.countDown(); // read only once the notice is over
            return (int) c.held.stream().filter(p -> !p.future().isComplete()).count();
        };
        Future<Void> drained = c.endpoint.drain(Duration.ofMillis(200), Duration.ofMinutes(5), held);
        awaitTrue("c draining at the gateway", () -> {
            UpstreamInstance u = instance(c.target());
            return u == null || u.draining();
        });
        assertEquals(List.of("a", "a", "a", "a"), from(4));
        assertEquals(servedBeforeDrain, c.served.get(), "the draining instance got a new request");
        assertTrue(polled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "past the notice, the count is polled");
        assertFalse(drained.isComplete(), "a request in flight holds the drain");
        assertTrue(targets().contains(c.target()), "c is not withdrawn while it serves a request");

        c.held.forEach(Promise::tryComplete);
        HttpResponse<String> finished = inFlight.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(200, finished.statusCode(), finished.body());
        assertEquals(new JsonObject().put("from", "c").put("held", true), new JsonObject(finished.body()));

        await(drained);
        awaitTrue("c withdrawn once its last request was answered", () -> !targets().contains(c.target()));
        assertEquals(servedBeforeDrain, c.served.get());
    }

    @Test
    void theInstancesOfAMemberThatDiesAreDroppedThoughTheirServerStillAnswers() throws Exception {
        Vertx doomed = cluster.start();
        Instance d = Instance.start(doomed, "d", false);
        awaitTrue("d discovered", () -> targets().contains(d.target()));
        assertTrue(from(2).contains("d"));

        LoopbackCluster.terminate(doomed);
        awaitTrue("d dropped after its member died", () -> !targets().contains(d.target()));
        int servedWhenDropped = d.served.get();
        assertEquals(List.of("a", "a", "a", "a"), from(4));
        assertEquals(servedWhenDropped, d.served.get());
        assertEquals(200, http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + d.target() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "d's server still answers: discovery dropped it");
    }

    @Test
    void aServiceWithNoInstanceAnswers503InTheErrorModelAndTheGatewayIsNotReady() throws Exception {
        HttpResponse<String> r = gw.get("/v1/account", "Authorization", bearer);
        assertEquals(503, r.statusCode(), r.body());
        JsonObject error = new JsonObject(r.body());
        assertEquals(-9001, error.getInteger("error_no"));
        assertEquals("trade-api is unavailable", error.getString("error"));
        assertEquals(error.getString("trace_id"), r.headers().firstValue("X-Trace-Id").orElseThrow());
        assertFalse(gw.full.upstreamsAvailable());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10); // polling the gateway's pool state, not a fixed wait
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
