package org.opentrade.gateway.domain;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One API route as the gateway treats it.
 *
 * @param method   HTTP method name
 * @param template the route with path parameters, e.g. {@code /v1/market/depth/:symbol}
 * @param upstream the pool that serves it ({@code market-api}, {@code trade-api})
 * @param scope    the scope a key needs
 * @param weight   units of the plan's weight budget one call costs
 */
public record RoutePolicy(String method, String template, String upstream, Scope scope, int weight,
                          RouteClass routeClass, boolean websocket) {

    /** Names already rendered: the metering of every call asks, and routes are few and fixed. */
    private static final ConcurrentHashMap<RoutePolicy, String> NAMES = new ConcurrentHashMap<>();

    /** The route's name in usage rows and limits, in OpenAPI style: {@code GET /v1/market/depth/{symbol}}. */
    public String name() {
        String name = NAMES.get(this);
        if (name == null) {
            name = method + " " + template.replaceAll(":([a-z_]+)", "{$1}");
            if (NAMES.size() < 4096) { // bound: routes are a fixed table, this only guards against misuse
                NAMES.put(this, name);
            }
        }
        return name;
    }
}
