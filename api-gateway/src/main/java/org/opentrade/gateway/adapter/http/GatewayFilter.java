package org.opentrade.gateway.adapter.http;

import io.vertx.ext.web.RoutingContext;

/**
 * One concern of the request path (tracing, metering, authentication, scope, limits, proxying), as
 * in Spring Cloud Gateway: filters run in ascending {@link #order}; each either answers (an error,
 * or the proxied response) or calls {@code ctx.next()}. Called on the event loop; never blocks.
 */
public interface GatewayFilter {
    int ORDER_METERING = 100;
    int ORDER_AUTHENTICATION = 200;
    int ORDER_SCOPE = 300;
    int ORDER_RATE_LIMIT = 400;

    int order();

    void handle(RoutingContext ctx);
}
