package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.common.discovery.Partitions;
import org.opentrade.common.discovery.ServiceInstance;
import org.opentrade.gateway.adapter.http.RequestKeys;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.Scope;

/**
 * trade-api split into account partitions: every call of a developer goes to the instance of their
 * partition, never to another (which does not hold their orders and client order ids), not even when
 * theirs is down.
 */
class PartitionedPoolTest {
    private static final BiConsumer<RoutingContext, MultiMap> NO_IDENTITY = (ctx, headers) -> { };
    private static final Plan FREE = new Plan("free", 600, 10, 5);
    private final ProxyTestKit kit = new ProxyTestKit();

    @AfterEach
    void stop() {
        kit.close();
    }

    /** Two developers in different partitions of 2. */
    private static String[] twoDevelopers() {
        String first = "dev_0";
        for (int i = 1; ; i++) {
            String other = "dev_" + i;
            if (Partitions.of(other, 2) != Partitions.of(first, 2)) {
                return new String[] {first, other};
            }
        }
    }

    private int gatewayFor(UpstreamPool pool) {
        return kit.gatewayAfter(ctx -> {
            String dev = ctx.request().getHeader("X-Test-Developer");
            if (dev != null) {
                ctx.put(RequestKeys.PRINCIPAL, new Principal(dev, "otk_" + dev, Set.of(Scope.TRADE), FREE));
            }
            ctx.next();
        }, new ProxyHandler(pool, UpstreamHopListener.NONE, NO_IDENTITY));
    }

    private String call(int gw, String developer) {
        ProxyTestKit.Reply r = kit.call(gw, io.vertx.core.http.HttpMethod.GET, "/v1/orders",
                io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("X-Test-Developer", developer), null);
        return r.status() == 200 ? r.body().toString() : "status " + r.status();
    }

    @Test
    void eachDeveloperReachesOnlyTheInstanceOfTheirPartitionAndWaitsWhileItIsDown() {
        HttpServer one = kit.upstream(c -> { }, r -> r.response().end("partition-1"));
        HttpServer two = kit.upstream(c -> { }, r -> r.response().end("partition-2"));
        UpstreamPool pool = kit.pool(ProxyTestKit.options("trade-api").setDiscovery(UpstreamPoolOptions.Discovery.CLUSTER)
                .setPartitions(2));
        int gw = gatewayFor(pool);
        pool.update(List.of(
                new ServiceInstance("trade-api", "t1", "127.0.0.1", one.actualPort(), 1, false, 1),
                new ServiceInstance("trade-api", "t2", "127.0.0.1", two.actualPort(), 1, false, 2)));
        String[] devs = twoDevelopers();
        for (String dev : devs) {
            String expected = "partition-" + Partitions.of(dev, 2);
            for (int i = 0; i < 6; i++) {
                assertEquals(expected, call(gw, dev), dev + " call " + i);
            }
        }
        // The instance of the first developer's partition drains: that developer gets 503, not the other one's.
        int gone = Partitions.of(devs[0], 2);
        pool.update(List.of(new ServiceInstance("trade-api", "t" + (3 - gone), "127.0.0.1",
                (3 - gone) == 1 ? one.actualPort() : two.actualPort(), 1, false, 3 - gone)));
        assertEquals("status 503", call(gw, devs[0]));
        assertEquals("partition-" + (3 - gone), call(gw, devs[1]));
    }

    @Test
    void staticTargetsServeTheirPositionAsPartitionAndMustMatchTheCount() {
        HttpServer one = kit.upstream(c -> { }, r -> r.response().end("first"));
        HttpServer two = kit.upstream(c -> { }, r -> r.response().end("second"));
        UpstreamPool pool = kit.pool(ProxyTestKit.options("trade-api", one.actualPort(), two.actualPort()).setPartitions(2));
        int gw = gatewayFor(pool);
        for (String dev : twoDevelopers()) {
            assertEquals(Partitions.of(dev, 2) == 1 ? "first" : "second", call(gw, dev));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UpstreamPoolOptions(
                ProxyTestKit.options("trade-api", one.actualPort())).setPartitions(2).validate());
        assertTrue(e.getMessage().contains("upstreams.trade-api.partitions is 2 but there are 1 targets"), e.getMessage());
    }

    @Test
    void anUnpartitionedPoolStillSpreadsEveryone() {
        HttpServer one = kit.upstream(c -> { }, r -> r.response().end("a"));
        HttpServer two = kit.upstream(c -> { }, r -> r.response().end("b"));
        UpstreamPool pool = kit.pool(ProxyTestKit.options("market-api", one.actualPort(), two.actualPort()));
        int gw = gatewayFor(pool);
        assertNotEquals(call(gw, "dev_0"), call(gw, "dev_0"), "round-robin for one developer");
    }
}
