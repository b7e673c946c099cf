package org.opentrade.launcher.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.RouteTable;

/**
 * The routes the services serve and the paths of {@code openapi/opentrade.yaml} are the same set of
 * (method, path template): a route added without documenting it, or a path documented that nobody
 * serves, fails here. Reads the real Vert.x routers of the running all-in-one (market-api and trade-api
 * mount their API routes only once started, so they are read from running services, on loopback).
 */
@ExtendWith(SharedAllInOne.class)
class ContractRoutesIT {
    /**
     * Served on market-api's and trade-api's own ports, never routed by the gateway: operator
     * endpoints, described in the contract's tag texts, not as paths.
     */
    private static final Set<String> OPERATOR_ONLY = Set.of(
            // each service's own operations endpoints (the public port has the all-in-one's, which are documented)
            "GET /health", "GET /ready", "GET /metrics",
            // market-api: the operator's CSV bar import
            "POST /admin/bars",
            // trade-api: the operator's kill switch for any account
            "POST /admin/accounts/{account}/kill-switch");

    @Test
    void thePublicPortServesExactlyTheOperationsOfTheContract(AllInOneFixture aio) {
        Set<String> served = operations(aio.app().routes());
        Set<String> documented = OpenApiContract.load().operations();
        assertSameSet(documented, served, "documented in openapi/opentrade.yaml", "served on the public port");
        // Not a (method, path): the portal's static pages, one regular-expression route for GET and HEAD
        // outside /v1/. Another such route would be a path the comparison above cannot see.
        List<Route> patterns = aio.app().routes().stream()
                .filter(r -> r.getPath() == null && r.methods() != null && !r.methods().isEmpty()).toList();
        assertEquals(1, patterns.size(), "only the portal is a pattern route: " + patterns);
        assertEquals(Set.of(HttpMethod.GET, HttpMethod.HEAD), patterns.get(0).methods());
    }

    @Test
    void theGatewayRoutesExactlyWhatMarketApiAndTradeApiServe(AllInOneFixture aio) {
        Set<String> routed = new TreeSet<>();
        for (RoutePolicy p : RouteTable.defaults()) {
            routed.add(OpenApiContract.operation(p.method(), p.template()));
        }
        Set<String> upstream = new TreeSet<>(operations(aio.app().market().routes()));
        upstream.addAll(operations(aio.app().trade().routes()));
        assertTrue(upstream.containsAll(OPERATOR_ONLY), "the operator-only list names routes that exist: " + upstream);
        upstream.removeAll(OPERATOR_ONLY);
        assertSameSet(routed, upstream, "routed by the gateway (RouteTable)", "served by market-api and trade-api");
    }

    @Test
    void routesAndContractPathsAreComparedWithParameterNames() {
        assertEquals("GET /v1/orders/{order_id}", OpenApiContract.operation("get", "/v1/orders/:order_id"));
        assertEquals("DELETE /v1/keys/{key_id}", OpenApiContract.operation("DELETE", "/v1/keys/{key_id}"));
        OpenApiContract contract = OpenApiContract.load();
        assertEquals("GET /v1/orders/by-client-id/{client_order_id}",
                contract.operationOf("GET", "/v1/orders/by-client-id/x-1").orElseThrow(), "a literal segment wins");
        assertEquals("GET /v1/orders/{order_id}", contract.operationOf("GET", "/v1/orders/ord_1").orElseThrow());
        assertTrue(contract.operationOf("GET", "/v1/orders/").isEmpty(), "a parameter is never empty");
    }

    /**
     * The (method, template) of every route with a path and methods ({@code :name} parameters included:
     * Vert.x keeps their template as the path), a HEAD beside its GET left out; filters and catch-alls have no
     * method, pattern routes no path.
     */
    static Set<String> operations(List<Route> routes) {
        Set<String> ops = new TreeSet<>();
        for (Route r : routes) {
            if (r.getPath() == null || r.methods() == null || r.methods().isEmpty()) {
                continue;
            }
            for (HttpMethod m : r.methods()) {
                if (m == HttpMethod.HEAD && r.methods().contains(HttpMethod.GET)) {
                    continue; // HEAD is part of GET in HTTP (RFC 9110 §9.3.2), not an operation of its own
                }
                ops.add(OpenApiContract.operation(m.name(), r.getPath()));
            }
        }
        return ops;
    }

    private static void assertSameSet(Set<String> expected, Set<String> actual, String expectedName, String actualName) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty() && extra.isEmpty(), expectedName + " but not " + actualName + ": " + missing
                + "; " + actualName + " but not " + expectedName + ": " + extra);
    }
}
