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
    /** {@code GatewayRoute}: the matched route with its access and budgets, set when the route is matched. */
    public static final String GATEWAY_ROUTE = "opentrade.gatewayRoute";
    /**
     * {@code Principal}: a caller whose credential verified but who was refused inside authentication
     * (-2007, address not allowed); its answer carries its budget. Set by authentication.
     */
    public static final String REFUSED_PRINCIPAL = "opentrade.refusedPrincipal";
    /**
     * {@code String}: the key whose credential verified but which was refused inside authentication (revoked,
     * expired, killed, its developer suspended, the address not allowed): the refusal is metered on it, so its
     * owner sees a leaked secret in use. Set by authentication.
     */
    public static final String REFUSED_KEY = "opentrade.refusedKey";
    /** {@code RoutePolicy}: the matched route's policy, set when the route is matched. */
    public static final String ROUTE = "opentrade.route";
    /** Long: epoch ms when the caller's credential ends (key expiry, session exp); 0 never. Set by authentication. */
    public static final String CREDENTIAL_EXPIRES_AT = "opentrade.credentialExpiresAt";
    /**
     * {@code SessionTokens.Claims}: what the caller's session token says (its generation: streams end when it moves
     * on; its log-in time: a refresh keeps it). Set by authentication of a session.
     */
    public static final String SESSION = "opentrade.session";
    /** {@code OpenStreams}: where a WebSocket route registers its stream; set on WebSocket routes. */
    public static final String OPEN_STREAMS = "opentrade.openStreams";
    /** {@code ServerWebSocket}: the caller, already upgraded to authenticate by a first frame. */
    public static final String UPGRADED_SOCKET = "opentrade.upgradedSocket";
    /** The request's slot in its event loop's bound, set by {@code OverloadFilter}; see {@code OverloadFilter.keepSlot}. */
    public static final String LOOP_SLOT = "opentrade.loopSlot";
    /** Long: System.nanoTime() when the request arrived. */
    public static final String STARTED_NANOS = "opentrade.startedNanos";

    private RequestKeys() {
    }
}
