package org.opentrade.market.adapter.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * Decides who is calling from the gateway's signed assertion; null when there is no valid one
 * (the request is refused -2001). Called on the event loop; never blocks.
 */
@FunctionalInterface
public interface CallerCheck {
    Caller verify(HttpServerRequest request);
}
