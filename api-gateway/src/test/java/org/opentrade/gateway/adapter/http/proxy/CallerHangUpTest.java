package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.RouteTable;
import org.opentrade.gateway.domain.Scope;

/**
 * Callers who hang up before their answer, in front of an upstream that holds every request open
 * until the test lets it answer: a request keeps its pool slot until its upstream request has ended,
 * never only until its caller's connection closed. A read is reset upstream at once (and its hang-up
 * is not held against the instance); an order runs to its end and is counted until then.
 */
class CallerHangUpTest {
    private static final BiConsumer<RoutingContext, MultiMap> NO_IDENTITY = (ctx, headers) -> { };
    private static final RoutePolicy READ = new RoutePolicy("GET", "/v1/orders", RouteTable.TRADE, Scope.TRADE, 1,
            RouteClass.TRADE_READ, false);
    private static final RoutePolicy ORDER = new RoutePolicy("POST", "/v1/orders", RouteTable.TRADE, Scope.TRADE, 1,
            RouteClass.ORDER_ENTRY, false);

    private final ProxyTestKit kit = new ProxyTestKit();
    /** Requests the upstream holds unanswered. */
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    /** Requests whose end handlers have run (answer ended or caller gone); the proxy's ran before. */
    private final AtomicInteger ended = new AtomicInteger();
    private NetClient net;

    @AfterEach
    void stop() {
        kit.close();
    }

    /** A pool in front of a holding upstream. */
    private UpstreamPool pool(UpstreamPoolOptions options) {
        return kit.pool(options.setTargets(List.of("127.0.0.1:" + kit.upstream(0, held::add).actualPort())));
    }

    /**
     * A gateway to {@code pool}; each request's route follows its method. Its end handler is added before
     * the proxy's, so it runs after it (end handlers run last added first).
     */
    private int gateway(UpstreamPool pool) {
        net = kit.vertx.createNetClient();
        return kit.gatewayAfter(ctx -> {
            ctx.put(RequestKeys.ROUTE, ctx.request().method() == HttpMethod.POST ? ORDER : READ);
            ctx.addEndHandler(done -> ended.incrementAndGet());
            ctx.next();
        }, new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY));
    }

    /** A caller on its own connection that has sent {@code requestHead} (and {@code body}), not yet hung up. */
    private NetSocket caller(int gw, String requestHead, String body) {
        NetSocket s = ProxyTestKit.await(net.connect(gw, "127.0.0.1"));
        ProxyTestKit.await(s.write(requestHead + "Host: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
        return s;
    }

    private static boolean closedUpstream(HttpServerRequest r) {
        return r.response().closed();
    }

    @Test
    void readsWhoseCallersHangUpAreResetUpstreamSoThePoolsBoundHolds() {
        UpstreamPool pool = pool(ProxyTestKit.options("trade-api").setMaxInFlight(2).setInFlightReservedForOrders(0)
                .setRequestTimeout(Duration.ofSeconds(30)));
        int gw = gateway(pool);
        for (int i = 0; i < 6; i++) {
            NetSocket s = caller(gw, "GET /v1/orders?i=" + i + " HTTP/1.1\r\n", "");
            int n = i + 1;
            kit.awaitTrue("request " + n + " held upstream", () -> held.size() == n);
            ProxyTestKit.await(s.close());
            HttpServerRequest upstream = held.get(i);
            // Before the fix the slot came back here while the upstream kept the request for its 30 s.
            kit.awaitTrue("request " + n + " reset upstream once its caller hung up", () -> closedUpstream(upstream));
            kit.awaitTrue("its slot back", () -> pool.inFlight().inFlight() == 0);
        }
        assertEquals(0, held.stream().filter(r -> !closedUpstream(r)).count(), "no request is left open upstream");
    }

    @Test
    void anOrderWhoseCallerHangsUpRunsToItsEndUpstreamAndKeepsItsSlotUntilThen() {
        UpstreamPool pool = pool(ProxyTestKit.options("trade-api").setMaxInFlight(1).setInFlightReservedForOrders(0)
                .setRequestTimeout(Duration.ofSeconds(30)));
        int gw = gateway(pool);
        NetSocket s = caller(gw, "POST /v1/orders HTTP/1.1\r\n", "{\"symbol\":\"600000.SH\"}");
        kit.awaitTrue("the order held upstream", () -> held.size() == 1);
        ProxyTestKit.await(s.close());
        kit.awaitTrue("the gateway saw the caller hang up", () -> ended.get() == 1);

        assertFalse(closedUpstream(held.get(0)), "the order is not reset upstream: that would not undo it");
        assertEquals(1, pool.inFlight().inFlight(), "the order still counts while the upstream works on it");
        ProxyTestKit.Reply shed = kit.call(gw, HttpMethod.POST, "/v1/orders", null, null);
        assertEquals(503, shed.status(), shed.body().toString());
        assertEquals(-9004, shed.json().getInteger("error_no"));
        assertEquals(1, held.size(), "the shed order never reached the upstream");

        kit.onClient(() -> held.get(0).response().end("{\"order_id\":\"1\"}"));
        kit.awaitTrue("the slot back once the upstream answered", () -> pool.inFlight().inFlight() == 0);
        Future<ProxyTestKit.Reply> next = kit.callAsync(gw, HttpMethod.POST, "/v1/orders");
        kit.awaitTrue("the next order reaches the upstream", () -> held.size() == 2);
        kit.onClient(() -> held.get(1).response().end("{\"order_id\":\"2\"}"));
        assertEquals(200, ProxyTestKit.await(next).status());
    }

    @Test
    void aReadWhoseCallerHangsUpIsNotCountedAgainstTheInstancesBreaker() {
        // One failure opens the breaker; before the fix the read ran into its deadline and counted as one.
        UpstreamPool pool = pool(ProxyTestKit.options("trade-api").setBreakerMaxFailures(1).setMaxRetries(0)
                .setRequestTimeout(Duration.ofSeconds(1)));
        int gw = gateway(pool);
        NetSocket s = caller(gw, "GET /v1/orders HTTP/1.1\r\n", "");
        kit.awaitTrue("the read held upstream", () -> held.size() == 1);
        ProxyTestKit.await(s.close());
        kit.awaitTrue("the read reset upstream", () -> closedUpstream(held.get(0)));

        assertEquals("CLOSED", pool.instances().get(0).breakerState().name());
        assertEquals(0, pool.inFlight().inFlight());
        Future<ProxyTestKit.Reply> next = kit.callAsync(gw, HttpMethod.GET, "/v1/orders");
        kit.awaitTrue("the next read reaches the instance", () -> held.size() == 2);
        kit.onClient(() -> held.get(1).response().end("[]"));
        assertEquals(200, ProxyTestKit.await(next).status());
    }

    @Test
    void aReadWaitingForAPooledConnectionKeepsItsSlotUntilItLeavesTheQueueAndIsNeverSent() {
        // One connection to the instance: the second read waits in the client's queue behind the first.
        UpstreamPool pool = pool(ProxyTestKit.options("trade-api").setMaxConnectionsPerInstance(1).setMaxInFlight(3)
                .setInFlightReservedForOrders(0).setConnectTimeout(Duration.ofSeconds(30))
                .setRequestTimeout(Duration.ofSeconds(30)));
        int gw = gateway(pool);
        Future<ProxyTestKit.Reply> first = kit.callAsync(gw, HttpMethod.GET, "/v1/orders?first");
        kit.awaitTrue("the first read held upstream", () -> held.size() == 1);
        NetSocket s = caller(gw, "GET /v1/orders?queued HTTP/1.1\r\n", "");
        kit.awaitTrue("the second read taken in", () -> pool.inFlight().inFlight() == 2);
        ProxyTestKit.await(s.close());
        kit.awaitTrue("the gateway saw its caller hang up", () -> ended.get() == 1);
        assertEquals(2, pool.inFlight().inFlight(), "still in the client's queue, so still in flight");

        kit.onClient(() -> held.get(0).response().end("[]"));
        assertEquals(200, ProxyTestKit.await(first).status());
        kit.awaitTrue("both slots back once the queued read got the connection and dropped it",
                () -> pool.inFlight().inFlight() == 0);
        assertEquals(1, held.size(), "the queued read was never sent");
    }

    @Test
    void aRequestWhoseCallerHungUpBeforeItReachedTheProxyIsNotSentAndTakesNoSlot() {
        UpstreamPool pool = pool(ProxyTestKit.options("trade-api").setRequestTimeout(Duration.ofSeconds(30)));
        net = kit.vertx.createNetClient();
        List<Integer> inFlightAfterProxy = new CopyOnWriteArrayList<>();
        AtomicInteger reached = new AtomicInteger();
        // An earlier filter still busy when the caller hangs up (as authentication waiting for the key store).
        int gw = kit.gatewayAfter(ctx -> {
            ctx.put(RequestKeys.ROUTE, READ);
            reached.incrementAndGet();
            ctx.addEndHandler(done -> {
                ctx.next();
                inFlightAfterProxy.add(pool.inFlight().inFlight());
            });
        }, new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY));
        NetSocket s = caller(gw, "GET /v1/orders HTTP/1.1\r\n", "");
        kit.awaitTrue("the request in the filter", () -> reached.get() == 1);
        ProxyTestKit.await(s.close());
        kit.awaitTrue("the proxy ran after the hang-up", () -> inFlightAfterProxy.size() == 1);
        // Before the fix it took a slot whose end handler, added after the end, never ran: a slot lost for good.
        assertEquals(0, inFlightAfterProxy.get(0));
    }

    /** Found in review of the hang-up fix: the probe's hang-up was reported as a success. */
    @Test
    void aHalfOpenProbeWhoseCallerHangsUpLeavesTheBreakerOpen() throws Exception {
        UpstreamPool pool = pool(ProxyTestKit.options("trade-api").setBreakerMaxFailures(1).setMaxRetries(0)
                .setBreakerResetTimeout(Duration.ofMillis(500)).setRequestTimeout(Duration.ofSeconds(1)));
        int gw = gateway(pool);
        // the instance hangs: the first read runs into the gateway's deadline and opens the breaker
        ProxyTestKit.Reply timedOut = kit.call(gw, HttpMethod.GET, "/v1/orders", null, null);
        assertEquals(504, timedOut.status(), timedOut.body().toString());
        kit.awaitTrue("breaker half-open", () -> "HALF_OPEN".equals(pool.instances().get(0).breakerState().name()));
        // the probe: its caller gives up before the (still hung) instance answers
        NetSocket s = caller(gw, "GET /v1/orders?probe HTTP/1.1\r\n", "");
        kit.awaitTrue("the probe held upstream", () -> held.size() == 2);
        ProxyTestKit.await(s.close());
        kit.awaitTrue("the probe reset upstream", () -> closedUpstream(held.get(1)));
        kit.awaitTrue("a probe that proved nothing leaves the breaker open (closed, it sent every request back to a hung"
                + " instance)", () -> "OPEN".equals(pool.instances().get(0).breakerState().name()));
    }
}
