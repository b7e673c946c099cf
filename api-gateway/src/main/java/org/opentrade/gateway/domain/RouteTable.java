package org.opentrade.gateway.domain;

import java.util.List;

/**
 * The routed API of the API map (docs/contracts.md): which upstream serves each route, the scope it needs, its
 * weight and its limit class. Weights follow the cost of the answer (a depth snapshot costs more
 * than a quote), as Binance's weights do.
 */
public final class RouteTable {
    public static final String MARKET = "market-api";
    public static final String TRADE = "trade-api";

    private RouteTable() {
    }

    public static List<RoutePolicy> defaults() {
        return List.of(
                market("/v1/market/instruments", 1),
                market("/v1/market/instruments/:symbol", 1),
                market("/v1/market/quotes", 2),
                market("/v1/market/depth/:symbol", 5),
                market("/v1/market/trades/:symbol", 2),
                market("/v1/market/klines/:symbol", 2),
                market("/v1/market/minute-line/:symbol", 2),
                market("/v1/market/rankings", 5),
                market("/v1/market/clock", 1),
                market("/v1/market/calendar", 1),
                trade("GET", "/v1/account", 1, RouteClass.TRADE_READ),
                trade("POST", "/v1/account/reset", 10, RouteClass.ORDER_ENTRY),
                // The developer's panic button: like a cancel, never throttled.
                trade("POST", "/v1/account/kill-switch", 1, RouteClass.CANCEL),
                trade("GET", "/v1/positions", 1, RouteClass.TRADE_READ),
                trade("GET", "/v1/positions/:symbol", 1, RouteClass.TRADE_READ),
                // Closing sells at market: order entry (fails closed without the shared limiter), a close of all five.
                trade("DELETE", "/v1/positions/:symbol", 1, RouteClass.ORDER_ENTRY),
                trade("DELETE", "/v1/positions", 5, RouteClass.ORDER_ENTRY),
                trade("POST", "/v1/orders", 1, RouteClass.ORDER_ENTRY),
                trade("GET", "/v1/orders", 2, RouteClass.TRADE_READ),
                trade("DELETE", "/v1/orders", 1, RouteClass.CANCEL),
                trade("GET", "/v1/orders/by-client-id/:client_order_id", 1, RouteClass.TRADE_READ),
                trade("GET", "/v1/orders/:order_id", 1, RouteClass.TRADE_READ),
                trade("PATCH", "/v1/orders/:order_id", 1, RouteClass.ORDER_ENTRY),
                trade("DELETE", "/v1/orders/:order_id", 1, RouteClass.CANCEL),
                trade("GET", "/v1/fills", 2, RouteClass.TRADE_READ),
                new RoutePolicy("GET", "/v1/stream/market", MARKET, Scope.MARKET_READ, 5, RouteClass.MARKET_DATA, true),
                new RoutePolicy("GET", "/v1/stream/orders", TRADE, Scope.TRADE, 5, RouteClass.TRADE_READ, true));
    }

    private static RoutePolicy market(String template, int weight) {
        return new RoutePolicy("GET", template, MARKET, Scope.MARKET_READ, weight, RouteClass.MARKET_DATA, false);
    }

    private static RoutePolicy trade(String method, String template, int weight, RouteClass routeClass) {
        return new RoutePolicy(method, template, TRADE, Scope.TRADE, weight, routeClass, false);
    }
}
