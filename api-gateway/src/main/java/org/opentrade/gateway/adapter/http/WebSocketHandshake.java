package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.Locale;
import org.opentrade.common.error.ErrorCode;

/**
 * Whether a request on a stream route is a WebSocket opening handshake the server can complete (RFC 6455
 * §4.2.1: GET, {@code Upgrade: websocket}, a {@code Connection} naming {@code upgrade}, a
 * {@code Sec-WebSocket-Key} of 16 bytes, {@code Sec-WebSocket-Version: 13}), checked before anything is
 * done for it. The gateway used to dial the service's stream first and upgrade the caller after: a plain
 * GET or a bad handshake then opened and closed a stream upstream, which the order stream takes as a
 * disconnect (with {@code cancel_on_disconnect=true}, every open order of the account was cancelled), and
 * the caller got Vert.x's own answer, not the error model. Stateless.
 */
public final class WebSocketHandshake {
    private WebSocketHandshake() {
    }

    /** Why {@code req} is not a handshake this server completes, or null when it is one. */
    public static String problem(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET) {
            return "a stream is opened with GET";
        }
        if (!hasToken(req.headers().getAll("Upgrade"), "websocket")) {
            return "a stream is a WebSocket: send Upgrade: websocket";
        }
        if (!hasToken(req.headers().getAll("Connection"), "upgrade")) {
            return "a stream is a WebSocket: send Connection: Upgrade";
        }
        String key = req.getHeader("Sec-WebSocket-Key");
        if (key == null || !sixteenBytes(key.strip())) {
            return "Sec-WebSocket-Key must be 16 bytes in base64";
        }
        if (!"13".equals(req.getHeader("Sec-WebSocket-Version"))) {
            return "Sec-WebSocket-Version must be 13";
        }
        return null;
    }

    /**
     * Answers {@code problem} with the error model: 426 and {@code Sec-WebSocket-Version: 13} for another
     * version (as RFC 6455 asks), else 400; -1001 either way.
     */
    public static void refuse(RoutingContext ctx, String problem) {
        boolean version = problem.startsWith("Sec-WebSocket-Version");
        if (version) {
            ctx.response().putHeader("Sec-WebSocket-Version", "13");
        }
        HttpErrors.sendRaw(ctx, version ? 426 : 400, ErrorCode.MALFORMED_REQUEST.code(), problem);
    }

    /** Whether any line of the header lists {@code token} (comma-separated, any case). */
    private static boolean hasToken(java.util.List<String> lines, String token) {
        for (String line : lines) {
            for (String t : line.split(",")) {
                if (t.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sixteenBytes(String key) {
        try {
            return key.length() == 24 && Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
