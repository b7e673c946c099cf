package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    /** The first segments under /v1 of the gateway's own routes (DeveloperRoutes, KeyRoutes, UsageRoutes, traces, AdminRoutes). */
    private static final List<String> PLATFORM = List.of("developers", "sessions", "keys", "usage", "traces", "admin");

    /**
     * ApiGateway mounts the proxied routes before the gateway's own ones (fewer templates tried per API call),
     * which is only right while no proxied path could be one of the gateway's.
     */
    @Test
    void noProxiedRouteSharesAPathWithTheGatewaysOwn() {
        List<RoutePolicy> routes = RouteTable.defaults();
        assertFalse(routes.isEmpty());
        for (RoutePolicy r : routes) {
            assertTrue(r.template().startsWith("/v1/"), r.template());
            String first = r.template().substring(4).split("/")[0];
            assertFalse(first.startsWith(":") || first.equals("*") || PLATFORM.contains(first),
                    r.template() + " could match a route of the gateway's own");
        }
    }
}
