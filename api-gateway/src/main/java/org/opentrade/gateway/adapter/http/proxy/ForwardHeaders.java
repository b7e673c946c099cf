package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.opentrade.gateway.adapter.http.HeaderNames;
import org.opentrade.gateway.adapter.http.HttpErrors;

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
    private static final CharSequence FORWARDED_FOR_NAME = HttpHeaders.createOptimized(FORWARDED_FOR);
    private static final CharSequence FORWARDED_PROTO_NAME = HttpHeaders.createOptimized(FORWARDED_PROTO);
    private static final CharSequence FORWARDED_HOST_NAME = HttpHeaders.createOptimized(FORWARDED_HOST);
    private static final String IDENTITY_PREFIX = "x-opentrade-";
    private static final String FORWARDED_PREFIX = "x-forwarded-";
    // Case-insensitive sets: header names are matched as sent, without a lower-cased copy of each
    // name per request (that copy was a third of the proxy's own allocation).
    private static final HeaderNames HOP_BY_HOP = HeaderNames.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    private static final HeaderNames CREDENTIALS = HeaderNames.of("x-api-secret", "x-signature", "authorization",
            "cookie", "x-admin-token");
    // The client computes these for its own body or handshake; copying them would corrupt ours.
    private static final HeaderNames RECOMPUTED = HeaderNames.of("content-length");
    private static final HeaderNames WEBSOCKET_HANDSHAKE = HeaderNames.of("sec-websocket-key", "sec-websocket-version",
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
        HeaderNames nominated = connectionTokens(in);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = HeaderNames.entries(in); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            boolean drop = HOP_BY_HOP.contains(name) || startsWith(name, "proxy-") || CREDENTIALS.contains(name)
                    || startsWith(name, IDENTITY_PREFIX) || startsWith(name, FORWARDED_PREFIX)
                    || RECOMPUTED.contains(name) || nominated.contains(name)
                    || (webSocket && WEBSOCKET_HANDSHAKE.contains(name));
            if (!drop) {
                out.add(name, header.getValue());
            }
        }
        identity.accept(ctx, out);
        if (request.remoteAddress() != null) {
            out.set(FORWARDED_FOR_NAME, request.remoteAddress().hostAddress());
        }
        out.set(FORWARDED_PROTO_NAME, request.isSSL() ? "https" : "http");
        if (request.authority() != null) {
            out.set(FORWARDED_HOST_NAME, request.authority().toString());
        }
        return out;
    }

    /** Copies an upstream's response headers to the caller's response, minus hop-by-hop ones. */
    static void copyResponse(MultiMap from, MultiMap to) {
        HeaderNames nominated = connectionTokens(from);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = HeaderNames.entries(from); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            if (!HOP_BY_HOP.contains(name) && !startsWith(name, "proxy-") && !nominated.contains(name)) {
                to.add(name, header.getValue());
            }
        }
    }

    /**
     * Leaves exactly one {@code X-Trace-Id} on an answer relayed from an upstream: the gateway's own
     * ({@code own}, set before the call) when it has one, else the upstream's, else {@code fallback}.
     * Copying the upstream's next to the gateway's would send the header twice, which a client or a
     * proxy joins into one invalid value ({@code "a, a"}).
     */
    static void oneTraceId(MultiMap headers, String own, String fallback) {
        CharSequence name = HttpErrors.TRACE_HEADER_NAME;
        headers.set(name, own != null ? own : headers.contains(name) ? headers.get(name) : fallback);
    }

    /** Whether {@code name} starts with the lower-case {@code prefix}, in any case. */
    private static boolean startsWith(CharSequence name, String prefix) {
        return HeaderNames.startsWith(name, prefix);
    }

    private static final HeaderNames NONE = HeaderNames.of();

    /** Header names the {@code Connection} header nominates as hop-by-hop (a case-insensitive set). */
    private static HeaderNames connectionTokens(MultiMap headers) {
        if (!headers.contains(HttpHeaders.CONNECTION)) {
            return NONE; // the usual case on keep-alive HTTP/1.1: nothing nominated
        }
        List<String> tokens = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return HeaderNames.of(tokens.toArray(String[]::new));
    }
}
