package org.opentrade.gateway.adapter.http.proxy;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.opentrade.common.error.ErrorBody;
import org.opentrade.gateway.adapter.http.UnreadPongs;
import org.opentrade.gateway.domain.GatewayError;

/**
 * Joins a caller's socket to its upstream socket: data frames are copied both ways as they are
 * (fragmentation kept, no re-assembly, so a large message costs no extra memory), with
 * back-pressure (a side whose write queue is full pauses the other side's reads). Frames or
 * messages over the pool's limits close the sender with 1009; a caller's text message that is not
 * UTF-8 closes the caller with 1007 (checked frame by frame, {@link Utf8Stream}). A caller's ping that finds its
 * write queue full closes it with 1008 ({@link UnreadPongs}: Vert.x answers pings past the queue). The caller is pinged every ping
 * interval; no pong within the pong timeout closes it with 1011. The upstream is pinged every upstream
 * ping interval; an upstream that has not answered one ping when the next is due is hung (a stopped
 * process, a host gone, a cut network: nothing closes its socket), so the caller is closed 1001 and
 * reconnects, to another instance, and the upstream is closed too. While the caller's socket is full the
 * upstream's reads are paused, pongs included, so no verdict is drawn on an interval that saw a pause, nor
 * on one in which the upstream's frames were still arriving (its pong waits behind them). A
 * close on one side is passed to the other with its status code and reason (an upstream whose process
 * dies: 1001); an error on one side closes both. The gateway's graceful stop closes the caller 1001 with
 * the error model as the reason ({@link #shutDown}): it reconnects to another gateway and resumes.
 *
 * <p>All callbacks run on the caller's event loop (both sockets were opened from it): no locks.
 */
final class WebSocketBridge {
    static final short GOING_AWAY = 1001;
    static final short TOO_BIG = 1009;
    static final short POLICY_VIOLATION = 1008;
    /** RFC 6455: a text message that is not UTF-8. */
    static final short INVALID_PAYLOAD = 1007;
    static final short INTERNAL_ERROR = 1011;
    private static final Buffer PING_PAYLOAD = Buffer.buffer("opentrade");
    /** The close reason's message when the gateway stops: short, so the whole error model fits in a close frame. */
    static final String SHUTTING_DOWN = "the gateway is shutting down; reconnect";

    private final Vertx vertx;
    private final ServerWebSocket client;
    private final WebSocket upstream;
    private final UpstreamPoolOptions options;
    private final String poolName;
    /** The upgrade request's trace id, for the error model of a close the gateway decides. */
    private final String traceId;
    private boolean closing;
    private boolean awaitingPong;
    private long pingTimer = -1;
    private long pongTimer = -1;
    private long upstreamPingTimer = -1;
    private boolean awaitingUpstreamPong;
    /** Upstream reads are paused now (the caller's write queue is full). */
    private boolean upstreamPaused;
    /** Upstream reads were paused at some time since the last upstream ping: its pong may be unread. */
    private boolean upstreamPausedSincePing;
    /**
     * A data frame came from the upstream since the last upstream ping: its pong may be queued behind
     * frames still being read (a stream resuming after a slow client), and the upstream was alive when
     * it sent them. A hung upstream's buffered frames run out, and then an interval passes with neither.
     */
    private boolean upstreamReadSincePing;
    private Runnable onEnd = () -> { };

    WebSocketBridge(Vertx vertx, ServerWebSocket client, WebSocket upstream, UpstreamPoolOptions options,
                    String poolName, String traceId) {
        this.vertx = vertx;
        this.traceId = traceId;
        this.client = client;
        this.upstream = upstream;
        this.options = options;
        this.poolName = poolName;
    }

    /** Told once when the bridge ends, either way. */
    WebSocketBridge onEnd(Runnable action) {
        this.onEnd = action;
        return this;
    }

    void start() {
        copy(client, upstream, true);
        copy(upstream, client, false);
        client.closeHandler(v -> passClose(client, upstream, GOING_AWAY, "client went away"));
        upstream.closeHandler(v -> passClose(upstream, client, GOING_AWAY, model(poolName + " went away; reconnect",
                GatewayError.UPSTREAM_UNAVAILABLE.code())));
        client.exceptionHandler(this::clientFailed);
        upstream.exceptionHandler(e -> closeWithModel(INTERNAL_ERROR, poolName + " connection failed",
                GatewayError.UPSTREAM_UNAVAILABLE.code(), GOING_AWAY, null));
        client.pongHandler(payload -> {
            awaitingPong = false;
            cancel(pongTimer);
        });
        upstream.pongHandler(payload -> awaitingUpstreamPong = false);
        client.shutdownHandler(v -> shutDown(traceId)); // the gateway's graceful stop (GracefulStop)
        pingTimer = vertx.setPeriodic(options.getWsPingInterval().toMillis(), id -> ping());
        upstreamPingTimer = vertx.setPeriodic(options.getWsUpstreamPingInterval().toMillis(), id -> pingUpstream());
        upstream.resume();
    }

    private void copy(WebSocketBase from, WebSocketBase to, boolean fromClient) {
        int maxFrame = options.getWsMaxFrameBytes();
        int maxMessage = options.getWsMaxMessageBytes();
        long[] messageBytes = {0};
        // The caller's text is checked to be UTF-8 (the services' own text is theirs to get right).
        Utf8Stream text = fromClient ? new Utf8Stream() : null;
        boolean[] inText = {false};
        from.frameHandler(frame -> {
            if (fromClient && frame.isPing()) {
                clientPinged(frame);
                return;
            }
            // Control frames are the connection's own business: pings are answered by Vert.x and
            // closes go through the close handlers, with their status code and reason.
            if (closing || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
                return;
            }
            if (!fromClient) {
                upstreamReadSincePing = true;
            }
            int size = frame.binaryData().length();
            messageBytes[0] = frame.isContinuation() ? messageBytes[0] + size : size;
            if (size > maxFrame || messageBytes[0] > maxMessage) {
                String why = size > maxFrame ? "frame larger than " + maxFrame + " bytes"
                        : "message larger than " + maxMessage + " bytes";
                if (fromClient) {
                    closeWithModel(TOO_BIG, why, GatewayError.BODY_TOO_LARGE.code(), GOING_AWAY, "client closed");
                } else {
                    closeWithModel(INTERNAL_ERROR, poolName + " sent a " + why, GatewayError.INTERNAL.code(), TOO_BIG, why);
                }
                return;
            }
            if (text != null && !isUtf8(frame, text, inText)) {
                closeWithModel(INVALID_PAYLOAD, "a text message that is not UTF-8", GatewayError.MALFORMED_REQUEST.code(),
                        GOING_AWAY, "client closed");
                return;
            }
            if (to.isClosed()) {
                // The other side has sent or answered its close; its close handler ends the bridge. Until then a
                // frame for it is dropped: Vert.x's writeQueueFull() throws on a closed socket, and each frame a
                // client kept sending after the service closed it (its flood rule) logged an unhandled exception
                // with its stack trace: 4 303 of them in one fuzz run, a log any caller could fill.
                return;
            }
            to.writeFrame(frame);
            if (to.writeQueueFull()) {
                from.pause();
                if (!fromClient) {
                    upstreamPaused = true;
                    upstreamPausedSincePing = true;
                }
                to.drainHandler(v -> {
                    if (!fromClient) {
                        upstreamPaused = false;
                    }
                    if (!closing) { // a caller closed for its pings stays paused
                        from.resume();
                    }
                });
            }
        });
    }

    /**
     * The caller sent a ping, which Vert.x has already answered past the write queue: one that finds the queue
     * full closes the caller 1008 and stops its reads ({@link UnreadPongs}). Called on the caller's event loop.
     */
    private void clientPinged(WebSocketFrame ping) {
        if (!UnreadPongs.overflow(client, ping)) {
            return;
        }
        // Also when the stream is closing for another reason: until the caller's close frame or the closing timeout
        // its socket is read and each ping answered (closeWithModel then does nothing more).
        closeWithModel(POLICY_VIOLATION, UnreadPongs.MESSAGE, GatewayError.RATE_LIMITED.code(), GOING_AWAY,
                "client closed");
        UnreadPongs.stopReading(vertx, client); // Vert.x pongs every ping it reads, even after the close frame
    }

    /** Whether a data frame keeps its message valid: text frames (and their continuations) must be UTF-8. */
    private static boolean isUtf8(WebSocketFrame frame, Utf8Stream text, boolean[] inText) {
        if (!frame.isContinuation()) {
            inText[0] = frame.isText();
            text.reset();
        }
        if (!inText[0]) {
            return true;
        }
        return text.accept(frame.binaryData()) && (!frame.isFinal() || text.complete());
    }

    private void ping() {
        if (closing || awaitingPong) {
            return;
        }
        awaitingPong = true;
        client.writePing(PING_PAYLOAD);
        pongTimer = vertx.setTimer(options.getWsPongTimeout().toMillis(), id -> {
            if (awaitingPong) {
                closeWithModel(INTERNAL_ERROR, "no pong within " + options.getWsPongTimeout().toMillis() + " ms",
                        GatewayError.REQUEST_TIMEOUT.code(), GOING_AWAY, "client did not answer pings");
            }
        });
    }

    private void pingUpstream() {
        if (closing) {
            return;
        }
        if (awaitingUpstreamPong && !upstreamPausedSincePing && !upstreamReadSincePing) {
            long millis = options.getWsUpstreamPingInterval().toMillis();
            closeWithModel(GOING_AWAY, poolName + " did not answer a ping within " + millis + " ms",
                    GatewayError.UPSTREAM_TIMEOUT.code(), GOING_AWAY, "no pong within " + millis + " ms");
            return;
        }
        upstreamPausedSincePing = upstreamPaused;
        upstreamReadSincePing = false;
        awaitingUpstreamPong = true;
        upstream.writePing(PING_PAYLOAD);
    }

    /**
     * Ends the stream because the caller's credential ended (revoked, killed, suspended, expired):
     * the caller gets a close frame 1008 whose reason is the error model, or, when that does not fit
     * in a close reason, an error frame in the error model first and a short reason. The upstream is
     * closed 1001. Called on the caller's event loop.
     */
    void end(GatewayError error, String traceId) {
        closeWithModel(POLICY_VIOLATION, error.message(), error.code(), traceId, GOING_AWAY, "the client's credential ended");
    }

    /**
     * Ends the stream because the gateway is stopping (its server's graceful shutdown): the caller gets a close
     * frame 1001, which tells it to reconnect (through its load balancer, to another gateway) and resume, with
     * the error model (-9001) as its reason; the upstream is closed 1001 too. Called on the caller's event loop.
     */
    void shutDown(String traceId) {
        closeWithModel(GOING_AWAY, SHUTTING_DOWN, GatewayError.UPSTREAM_UNAVAILABLE.code(), traceId, GOING_AWAY,
                "the gateway is shutting down");
    }

    /**
     * Closes the caller with {@code code} and the error model as the reason, or, when that does not fit in a
     * close reason, an error frame in the error model first and a short reason; the upstream 1001.
     */
    private void closeWithModel(short code, String message, int errorNo, short upstreamCode, String upstreamReason) {
        closeWithModel(code, message, errorNo, traceId, upstreamCode, upstreamReason);
    }

    private void closeWithModel(short code, String message, int errorNo, String traceId, short upstreamCode,
                                String upstreamReason) {
        if (closing) {
            return;
        }
        ErrorBody body = new ErrorBody(message, errorNo, traceId);
        if (!body.fitsCloseReason() && !client.isClosed()) {
            client.writeTextMessage(errorFrame(message, errorNo, traceId));
        }
        closeBoth(code, body.toCloseReason(), upstreamCode, upstreamReason);
    }

    /**
     * A close reason the caller can read like any other error: the error model with this stream's trace id, or,
     * when that is longer than a close frame allows (123 bytes), only its {@code error_no} (the whole model then
     * goes first in an error frame).
     */
    private String model(String message, int errorNo) {
        return new ErrorBody(message, errorNo, traceId).toCloseReason();
    }

    /** A control frame {@code {"type":"error",...}} carrying the error model (docs/contracts.md). */
    static String errorFrame(String message, int errorNo, String traceId) {
        return new JsonObject().put("type", "error").put("error", message).put("error_no", errorNo)
                .put("trace_id", traceId).encode();
    }

    /** {@code closed} ended (close frame or lost connection): end {@code other} the same way. */
    private void passClose(WebSocketBase closed, WebSocketBase other, short fallbackCode, String fallbackReason) {
        if (closing) {
            return;
        }
        closing = true;
        stopTimers();
        onEnd.run();
        Short code = closed.closeStatusCode();
        if (code != null && code == 1005) {
            close(other, (short) 1000, null);
        } else if (code != null && sendable(code)) {
            close(other, code, closed.closeReason());
        } else {
            close(other, fallbackCode, fallbackReason);
        }
    }

    /** Closes the caller with one code and the upstream with another. */
    /**
     * The client's connection failed. A frame its WebSocket decoder refused (larger than the gateway's limit, not
     * masked, a reserved opcode) closes it with the code the protocol names (1009 too big, 1002 protocol error) and
     * what was wrong, not 1001 "going away", which tells a client to reconnect and send it again.
     */
    private void clientFailed(Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException bad && sendable(bad.closeStatus().code())) {
            int code = bad.closeStatus().code();
            String why = code == TOO_BIG ? "frame larger than " + options.getWsMaxFrameBytes() + " bytes"
                    : bad.getMessage() == null ? bad.closeStatus().reasonText() : bad.getMessage();
            closeWithModel((short) code, why.length() > 200 ? why.substring(0, 200) : why,
                    code == TOO_BIG ? GatewayError.BODY_TOO_LARGE.code() : GatewayError.MALFORMED_REQUEST.code(),
                    GOING_AWAY, "client closed");
        } else {
            closeBoth(GOING_AWAY, "client connection failed", INTERNAL_ERROR, null);
        }
    }

    private void closeBoth(short clientCode, String clientReason, short upstreamCode, String upstreamReason) {
        if (closing) {
            return;
        }
        closing = true;
        stopTimers();
        onEnd.run();
        close(client, clientCode, clientReason);
        close(upstream, upstreamCode, upstreamReason);
    }

    private static void close(WebSocketBase ws, short code, String reason) {
        if (!ws.isClosed()) {
            ws.close(code, reason);
        }
    }

    /** Codes a close frame may carry (RFC 6455 §7.4): 1005, 1006 and 1015 are local-only. */
    private static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void stopTimers() {
        cancel(pingTimer);
        cancel(pongTimer);
        cancel(upstreamPingTimer);
    }

    private void cancel(long timer) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
