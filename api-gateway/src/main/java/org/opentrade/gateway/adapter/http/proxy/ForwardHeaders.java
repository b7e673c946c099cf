package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which headers cross the gateway. Outbound (to an upstream): everything except hop-by-hop headers
 * (RFC 9110 §7.6.1, plus any the {@code Connection} header names), the caller's secrets (the
 * gateway has already checked them; upstreams must never see them), any {@code X-OpenTrade-*} the
 * caller sent (only the gateway may assert identity: its signed {@code X-OpenTrade-Assertion} is
 * added afterwards by the identity callback), and the caller's {@code X-Forwarded-*} (the
 * gateway is the edge, so it states the client address itself). {@code X-API-Key} is kept: it is an
 * identifier, not a secret, and upstreams log it. Inbound (to the caller): everything except
 * hop-by-hop headers. Called on the event loop; never blocks.
 */
final class ForwardHeaders {
    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";
    private static final String IDENTITY_PREFIX = "x-opentrade-";
    private static final String FORWARDED_PREFIX = "x-forwarded-";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    private static final Set<String> CREDENTIALS = Set.of("x-api-secret", "x-signature", "authorization", "cookie",
            "x-admin-token");
    // The client computes these for its own body or handshake; copying them would corrupt ours.
    private static final Set<String> RECOMPUTED = Set.of("content-length");
    private static final Set<String> WEBSOCKET_HANDSHAKE = Set.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-accept", "sec-websocket-protocol");

    private ForwardHeaders() {
    }

    /**
     * The headers to send upstream for this request: filtered, then the trusted identity headers
     * from {@code identity}, then {@code X-Forwarded-For/Proto/Host}.
     */
    static MultiMap outbound(RoutingContext ctx, BiConsumer<RoutingContext, MultiMap> identity, boolean webSocket) {
        HttpServerRequest request = ctx.request();
        MultiMap in = request.headers();
        Set<String> nominated = connectionTokens(in);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean drop = HOP_BY_HOP.contains(name) || name.startsWith("proxy-") || CREDENTIALS.contains(name)
                    || name.startsWith(IDENTITY_PREFIX) || name.startsWith(FORWARDED_PREFIX)
                    || RECOMPUTED.contains(name) || nominated.contains(name)
                    || (webSocket && WEBSOCKET_HANDSHAKE.contains(name));
            if (!drop) {
                out.add(header.getKey(), header.getValue());
            }
        }
        identity.accept(ctx, out);
        if (request.remoteAddress() != null) {
            out.set(FORWARDED_FOR, request.remoteAddress().hostAddress());
        }
        out.set(FORWARDED_PROTO, request.isSSL() ? "https" : "http");
        if (request.authority() != null) {
            out.set(FORWARDED_HOST, request.authority().toString());
        }
        return out;
    }

    /** Copies an upstream's response headers to the caller's response, minus hop-by-hop ones. */
    static void copyResponse(MultiMap from, MultiMap to) {
        Set<String> nominated = connectionTokens(from);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.startsWith("proxy-") && !nominated.contains(name)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    private static Set<String> connectionTokens(MultiMap headers) {
        if (!headers.contains("Connection")) {
            return Set.of(); // the usual case on keep-alive HTTP/1.1: nothing nominated
        }
        Set<String> tokens = new HashSet<>();
        for (String value : headers.getAll("Connection")) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
