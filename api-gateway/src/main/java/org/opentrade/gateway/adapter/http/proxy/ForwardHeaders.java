package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.TreeSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
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
    private static final String IDENTITY_PREFIX = "x-opentrade-";
    private static final String FORWARDED_PREFIX = "x-forwarded-";
    // Case-insensitive sets: header names are matched as sent, without a lower-cased copy of each
    // name per request (that copy was a third of the proxy's own allocation).
    private static final Set<String> HOP_BY_HOP = ignoringCase("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    private static final Set<String> CREDENTIALS = ignoringCase("x-api-secret", "x-signature", "authorization", "cookie",
            "x-admin-token");
    // The client computes these for its own body or handshake; copying them would corrupt ours.
    private static final Set<String> RECOMPUTED = ignoringCase("content-length");
    private static final Set<String> WEBSOCKET_HANDSHAKE = ignoringCase("sec-websocket-key", "sec-websocket-version",
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
            String name = header.getKey();
            boolean drop = HOP_BY_HOP.contains(name) || startsWith(name, "proxy-") || CREDENTIALS.contains(name)
                    || startsWith(name, IDENTITY_PREFIX) || startsWith(name, FORWARDED_PREFIX)
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
            String name = header.getKey();
            if (!HOP_BY_HOP.contains(name) && !startsWith(name, "proxy-") && !nominated.contains(name)) {
                to.add(header.getKey(), header.getValue());
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
        String name = HttpErrors.TRACE_HEADER;
        headers.set(name, own != null ? own : headers.contains(name) ? headers.get(name) : fallback);
    }

    private static Set<String> ignoringCase(String... names) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(Arrays.asList(names));
        return Collections.unmodifiableSet(set);
    }

    /** Whether {@code name} starts with the lower-case {@code prefix}, in any case. */
    private static boolean startsWith(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** Header names the {@code Connection} header nominates as hop-by-hop (a case-insensitive set). */
    private static Set<String> connectionTokens(MultiMap headers) {
        if (!headers.contains("Connection")) {
            return Set.of(); // the usual case on keep-alive HTTP/1.1: nothing nominated
        }
        Set<String> tokens = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
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
