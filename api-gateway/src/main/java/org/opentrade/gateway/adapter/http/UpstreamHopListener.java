package org.opentrade.gateway.adapter.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Told of every call the gateway makes to an upstream, so tracing can open a client span and put
 * its context ({@code traceparent}, B3) into the outbound headers. Called on the event loop.
 */
public interface UpstreamHopListener {

    /** One upstream call in flight. */
    interface Hop {
        /** The call ended: an HTTP status, or -1 with the failure. */
        void end(int status, Throwable failure);
    }

    /**
     * A call to {@code upstream} (pool name) at {@code target} ("host:port") is about to be sent;
     * the listener may add headers to {@code outboundHeaders}.
     */
    Hop start(RoutingContext ctx, String upstream, String target, String method, String path, MultiMap outboundHeaders);

    UpstreamHopListener NONE = (ctx, upstream, target, method, path, headers) -> (status, failure) -> { };
}
