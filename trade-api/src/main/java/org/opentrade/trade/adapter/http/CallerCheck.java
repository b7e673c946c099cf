package org.opentrade.trade.adapter.http;

import io.vertx.core.http.HttpServerRequest;

/** The caller from the gateway's signed assertion; null when there is no valid one. Event loop; never blocks. */
@FunctionalInterface
public interface CallerCheck {
    Caller verify(HttpServerRequest request);
}
