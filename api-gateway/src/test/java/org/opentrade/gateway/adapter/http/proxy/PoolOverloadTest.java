package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * A pool's bound on requests in flight, against an upstream that holds every request open until the
 * test lets it answer: the request past the bound is answered 503 -9004 with {@code Retry-After}
 * while the others are still held (so it waited for none of them), and orders keep the headroom
 * that reads may not take.
 */
class PoolOverloadTest {
    private static final BiConsumer<RoutingContext, MultiMap> NO_IDENTITY = (ctx, headers) -> { };
    private static final RoutePolicy READ = new RoutePolicy("GET", "/v1/orders", RouteTable.TRADE, Scope.TRADE, 1,
            RouteClass.TRADE_READ, false);
    private static final RoutePolicy ORDER = new RoutePolicy("POST", "/v1/orders", RouteTable.TRADE, Scope.TRADE, 1,
            RouteClass.ORDER_ENTRY, false);
    private static final RoutePolicy CANCEL = new RoutePolicy("DELETE", "/v1/orders/:order_id", RouteTable.TRADE,
            Scope.TRADE, 1, RouteClass.CANCEL, false);

    private final ProxyTestKit kit = new ProxyTestKit();
    /** Requests the upstream holds unanswered. */
    private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        kit.close();
    }

    /** A gateway in front of a holding upstream; each request's route follows its method. */
    private int gateway(int maxInFlight, int reserved) {
        int up = kit.upstream(0, held::add).actualPort();
        UpstreamPool pool = kit.pool(ProxyTestKit.options("trade-api", up).setMaxInFlight(maxInFlight)
                .setInFlightReservedForOrders(reserved));
        return kit.gatewayAfter(ctx -> {
            HttpMethod m = ctx.request().method();
            ctx.put(RequestKeys.ROUTE, m == HttpMethod.POST ? ORDER : m == HttpMethod.DELETE ? CANCEL : READ);
            ctx.next();
        }, new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY));
    }

    private List<Future<ProxyTestKit.Reply>> hold(int gw, HttpMethod method, String uri, int n) {
        int before = held.size();
        List<Future<ProxyTestKit.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            replies.add(kit.callAsync(gw, method, uri));
        }
        kit.awaitTrue(n + " more requests held by the upstream", () -> held.size() == before + n);
        return replies;
    }

    /** Answers every request held so far, each once. */
    private void releaseAll() {
        List<HttpServerRequest> now = List.copyOf(held);
        kit.onClient(() -> now.stream().filter(r -> !r.response().ended()).forEach(r -> r.response().end("done")));
    }

    private static void assertShed(ProxyTestKit.Reply reply) {
        assertEquals(503, reply.status(), reply.body().toString());
        assertEquals(-9004, reply.json().getInteger("error_no"), reply.body().toString());
        assertEquals("1", reply.headers().get("Retry-After"));
    }

    @Test
    void theRequestPastThePoolsBoundIsShedAtOnceWithRetryAfterAndItsSlotComesBackWhenAnAnswerEnds() {
        int gw = gateway(3, 0);
        List<Future<ProxyTestKit.Reply>> inFlight = hold(gw, HttpMethod.GET, "/v1/orders", 3);

        ProxyTestKit.Reply shed = kit.get(gw, "/v1/orders");
        assertShed(shed);
        assertEquals(3, held.size(), "the shed request never reached the upstream");
        inFlight.forEach(f -> assertFalse(f.isComplete(), "the held requests are still in flight"));

        releaseAll();
        for (Future<ProxyTestKit.Reply> f : inFlight) {
            assertEquals(200, ProxyTestKit.await(f).status());
        }
        Future<ProxyTestKit.Reply> after = kit.callAsync(gw, HttpMethod.GET, "/v1/orders");
        kit.awaitTrue("the next request reaches the upstream", () -> held.size() == 4);
        releaseAll();
        assertEquals(200, ProxyTestKit.await(after).status());
    }

    @Test
    void anOrderAndThenACancelAreAdmittedWhileReadsAreAtTheirBound() {
        int gw = gateway(4, 2); // reads: at most 2 in flight; orders and cancels: 4
        List<Future<ProxyTestKit.Reply>> reads = hold(gw, HttpMethod.GET, "/v1/orders", 2);
        assertShed(kit.get(gw, "/v1/orders"));

        List<Future<ProxyTestKit.Reply>> order = hold(gw, HttpMethod.POST, "/v1/orders", 1);
        List<Future<ProxyTestKit.Reply>> cancel = hold(gw, HttpMethod.DELETE, "/v1/orders/42", 1);
        assertShed(kit.call(gw, HttpMethod.DELETE, "/v1/orders/43", null, null)); // 4 of 4: now all classes wait

        releaseAll();
        for (Future<ProxyTestKit.Reply> f : List.of(reads.get(0), reads.get(1), order.get(0), cancel.get(0))) {
            assertEquals(200, ProxyTestKit.await(f).status());
        }
    }
}
