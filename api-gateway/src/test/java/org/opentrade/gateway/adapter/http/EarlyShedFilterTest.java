package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.RouteTable;

class EarlyShedFilterTest {
    private final EarlyShedFilter filter = filter();

    private static EarlyShedFilter filter() {
        List<GatewayRoute> routes = new ArrayList<>();
        for (RoutePolicy p : RouteTable.defaults()) {
            routes.add(GatewayRoute.api(p, ctx -> { }));
        }
        return new EarlyShedFilter(new OverloadFilter(new OverloadLimits(4, 1)), routes);
    }

    @Test
    void ordersCancelsAndTheKillSwitchAreRecognisedByMethodAndPath() {
        assertTrue(filter.isPriority("POST", "/v1/orders"));
        assertTrue(filter.isPriority("DELETE", "/v1/orders"));
        assertTrue(filter.isPriority("DELETE", "/v1/orders/8f2c"));
        assertTrue(filter.isPriority("PATCH", "/v1/orders/8f2c"));
        assertTrue(filter.isPriority("POST", "/v1/account/kill-switch"));
    }

    @Test
    void readsMarketDataAndLookalikePathsAreNot() {
        assertFalse(filter.isPriority("GET", "/v1/orders"));
        assertFalse(filter.isPriority("GET", "/v1/orders/8f2c"));
        assertFalse(filter.isPriority("POST", "/v1/orders/"));
        assertFalse(filter.isPriority("POST", "/v1/ordersX"));
        assertFalse(filter.isPriority("POST", "/v1/orders/a/b"));
        assertFalse(filter.isPriority("DELETE", "/v1/orders//"));
        assertFalse(filter.isPriority("PATCH", "/v1/orders/"));
        assertFalse(filter.isPriority("POST", "/v2/orders"));
        assertFalse(filter.isPriority("POST", "/v1/market/quotes"));
        assertFalse(filter.isPriority("POST", ""));
        assertFalse(filter.isPriority("POST", null));
    }
}
