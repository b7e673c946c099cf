package org.opentrade.gateway.adapter.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.common.json.StrictJson;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.RoutePolicy;

/**
 * WebSocket authentication by a first frame, for browsers, which cannot set headers on an upgrade
 * (docs/contracts.md, Streams): a stream route whose upgrade carries no credentials is upgraded at once; its first
 * frame must arrive within {@code timeoutMillis}, be one final text frame of at most
 * {@link #MAX_AUTH_FRAME_BYTES}, and be {@code {"op":"auth",...}} with a secret, a session token or an
 * Ed25519 signature. Its fields become the request's credential headers, so the rest of the chain
 * (authentication, scope, allow-list, limits, and the Ed25519 string to sign over the upgrade
 * request) treats it exactly as if the headers had carried it. The socket stays paused until the
 * upstream is bridged: nothing the caller sends before that is read, let alone forwarded. Anything
 * else first, or nothing in time, gets an error frame in the error model and a close 1008; a failure
 * later in the chain the same ({@link #fail}). Pings sent faster than their pongs are read close it too
 * ({@link UnreadPongs}).
 *
 * <p>Called on the event loop; never blocks.
 */
public final class FirstFrameAuth implements GatewayFilter {
    public static final int ORDER = ORDER_AUTHENTICATION - 5;
    /** A session token is at most 4 KiB; the rest of the frame is small. */
    public static final int MAX_AUTH_FRAME_BYTES = 8192;
    public static final long DEFAULT_TIMEOUT_MILLIS = 5_000;
    static final short POLICY_VIOLATION = HttpErrors.POLICY_VIOLATION;

    private final long timeoutMillis;

    /** @param timeoutMillis how long an upgraded socket may take to send its auth frame */
    public FirstFrameAuth(long timeoutMillis) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("first-frame auth timeout must be positive, was " + timeoutMillis);
        }
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public void handle(RoutingContext ctx) {
        RoutePolicy route = ctx.get(RequestKeys.ROUTE);
        HttpServerRequest req = ctx.request();
        if (route == null || !route.websocket() || req.getHeader("X-API-Key") != null
                || req.getHeader("Authorization") != null || !"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            ctx.next();
            return;
        }
        String problem = WebSocketHandshake.problem(req);
        if (problem != null) {
            WebSocketHandshake.refuse(ctx, problem); // else Vert.x's own answer, not the error model
            return;
        }
        // Refusals from here on fail the request as anywhere else; HttpErrors answers a caller it
        // finds upgraded with an error frame and a close instead of an HTTP answer.
        req.toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                return; // the connection is gone or was not an upgrade: nothing to answer on
            }
            ServerWebSocket ws = ar.result();
            ctx.put(RequestKeys.UPGRADED_SOCKET, ws);
            boolean[] done = {false};
            long timer = ctx.vertx().setTimer(timeoutMillis, id -> {
                if (!done[0]) {
                    done[0] = true;
                    Async.fail(ctx, new Rejection(GatewayError.CREDENTIALS_MISSING,
                            "no auth frame within " + timeoutMillis + " ms: send {\"op\":\"auth\",...} first"));
                }
            });
            ws.closeHandler(v -> {
                done[0] = true;
                ctx.vertx().cancelTimer(timer);
                AnswerEnd.upgraded(ctx, 101, false); // gone before its stream was served or refused: ends its request
            });
            // The gateway's graceful stop before the auth frame came: nothing to resume, so reconnect elsewhere.
            ws.shutdownHandler(v -> {
                if (!done[0]) {
                    done[0] = true;
                    ctx.vertx().cancelTimer(timer);
                    ws.close((short) 1001, new ErrorBody("the gateway is shutting down; reconnect",
                            GatewayError.UPSTREAM_UNAVAILABLE.code(), HttpErrors.traceId(ctx)).toJson());
                }
            });
            ws.frameHandler(frame -> {
                if (UnreadPongs.overflow(ws, frame)) {
                    UnreadPongs.stopReading(ctx.vertx(), ws); // stays paused: Vert.x answers every ping it reads
                    if (!done[0]) {
                        done[0] = true;
                        ctx.vertx().cancelTimer(timer);
                        Async.fail(ctx, new Rejection(GatewayError.RATE_LIMITED, UnreadPongs.MESSAGE));
                    }
                    return;
                }
                if (done[0] || frame.type() == io.vertx.core.http.WebSocketFrameType.PING
                        || frame.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
                    return; // control frames may come at any time (RFC 6455 5.5); Vert.x answers a ping itself
                }
                done[0] = true;
                ctx.vertx().cancelTimer(timer);
                ws.pause();
                if (frame.binaryData().length() > MAX_AUTH_FRAME_BYTES) {
                    Async.fail(ctx, new Rejection(GatewayError.BODY_TOO_LARGE,
                            "the auth frame is larger than " + MAX_AUTH_FRAME_BYTES + " bytes"));
                } else if (!frame.isText() || !frame.isFinal() || !credentials(frame.textData(), req.headers())) {
                    Async.fail(ctx, new Rejection(GatewayError.CREDENTIALS_MISSING, "the first frame must be one text "
                            + "frame {\"op\":\"auth\"} with api_key and api_secret, token, or api_key, timestamp and signature"));
                } else {
                    ctx.next();
                }
            });
        });
    }

    /** Puts the auth frame's credential into {@code headers}; false when it is not an auth frame. */
    static boolean credentials(String text, MultiMap headers) {
        JsonObject auth;
        try {
            if (!(StrictJson.decode(text) instanceof JsonObject o)) {
                return false;
            }
            auth = o; // an auth frame naming a member twice is none: which key it meant depends on the parser
        } catch (DecodeException e) {
            return false;
        }
        if (!"auth".equals(auth.getValue("op"))) {
            return false;
        }
        String key = string(auth, "api_key");
        String secret = string(auth, "api_secret");
        String token = string(auth, "token");
        String timestamp = auth.getValue("timestamp") instanceof Number n ? String.valueOf(n.longValue())
                : string(auth, "timestamp");
        String signature = string(auth, "signature");
        if (token != null && key == null) {
            headers.set("Authorization", "Bearer " + token);
            return true;
        }
        if (key != null && secret != null && signature == null) {
            headers.set("X-API-Key", key).set("X-API-Secret", secret);
            return true;
        }
        if (key != null && timestamp != null && signature != null && secret == null) {
            headers.set("X-API-Key", key).set("X-Timestamp", timestamp).set("X-Signature", signature);
            return true;
        }
        return false;
    }

    /**
     * A credential member as a header may carry it: printable ASCII without spaces (key ids, secrets, JWTs, base64
     * signatures and timestamps are all that), else null, so the frame is no auth frame. A control character went
     * into the header as it came, and Vert.x's header check threw in the frame handler: an unhandled exception
     * logged with its stack trace, and the caller's socket left paused until the idle timeout.
     */
    private static String string(JsonObject o, String name) {
        if (!(o.getValue(name) instanceof String s) || s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                return null;
            }
        }
        return s;
    }

    /**
     * Whether the request's caller was upgraded by this filter: then {@code errorNo} and {@code message}
     * were sent as an error frame and the socket closed 1008, and true is returned; else false and the
     * caller answers over HTTP as usual.
     */
    public static boolean fail(RoutingContext ctx, int errorNo, String message) {
        ServerWebSocket ws = ctx.get(RequestKeys.UPGRADED_SOCKET);
        if (ws == null) {
            return false;
        }
        HttpErrors.closeWebSocket(ws, errorNo, message, HttpErrors.traceId(ctx));
        return true;
    }

    @Override
    public boolean appliesTo(GatewayRoute route) {
        return route.websocket();
    }
}
