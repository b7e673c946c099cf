package org.opentrade.gateway.adapter.http;

/**
 * Names of the values the gateway's filters leave in a {@code RoutingContext} for the ones after
 * them ({@code ctx.put(name, value)} / {@code ctx.get(name)}).
 */
public final class RequestKeys {
    /** String: the request's 32-hex trace id, set by the tracing filter first thing. */
    public static final String TRACE_ID = "opentrade.traceId";
    /** {@code Principal}: who is calling, set by the authentication filter. */
    public static final String PRINCIPAL = "opentrade.principal";
    /** {@code RoutePolicy}: the matched API route, set by the routing table. */
    public static final String ROUTE = "opentrade.route";
    /** Long: epoch ms when the caller's credential ends (key expiry, session exp); 0 never. Set by authentication. */
    public static final String CREDENTIAL_EXPIRES_AT = "opentrade.credentialExpiresAt";
    /** {@code OpenStreams}: where a WebSocket route registers its stream; set on WebSocket routes. */
    public static final String OPEN_STREAMS = "opentrade.openStreams";
    /** {@code ServerWebSocket}: the caller, already upgraded to authenticate by a first frame. */
    public static final String UPGRADED_SOCKET = "opentrade.upgradedSocket";
    /** Long: System.nanoTime() when the request arrived. */
    public static final String STARTED_NANOS = "opentrade.startedNanos";

    private RequestKeys() {
    }
}
