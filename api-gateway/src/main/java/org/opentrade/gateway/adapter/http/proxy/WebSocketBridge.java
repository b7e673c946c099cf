package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;

/**
 * Joins a caller's socket to its upstream socket: data frames are copied both ways as they are
 * (fragmentation kept, no re-assembly, so a large message costs no extra memory), with
 * back-pressure (a side whose write queue is full pauses the other side's reads). Frames or
 * messages over the pool's limits close the sender with 1009. The caller is pinged every ping
 * interval; no pong within the pong timeout closes it with 1011. A close on one side is passed to
 * the other with its status code and reason; an error on one side closes both.
 *
 * <p>All callbacks run on the caller's event loop (both sockets were opened from it): no locks.
 */
final class WebSocketBridge {
    static final short GOING_AWAY = 1001;
    static final short TOO_BIG = 1009;
    static final short INTERNAL_ERROR = 1011;
    private static final Buffer PING_PAYLOAD = Buffer.buffer("opentrade");

    private final Vertx vertx;
    private final ServerWebSocket client;
    private final WebSocket upstream;
    private final UpstreamPoolOptions options;
    private final String poolName;
    private boolean closing;
    private boolean awaitingPong;
    private long pingTimer = -1;
    private long pongTimer = -1;

    WebSocketBridge(Vertx vertx, ServerWebSocket client, WebSocket upstream, UpstreamPoolOptions options,
                    String poolName) {
        this.vertx = vertx;
        this.client = client;
        this.upstream = upstream;
        this.options = options;
        this.poolName = poolName;
    }

    void start() {
        copy(client, upstream, true);
        copy(upstream, client, false);
        client.closeHandler(v -> passClose(client, upstream, GOING_AWAY, "client went away"));
        upstream.closeHandler(v -> passClose(upstream, client, GOING_AWAY, poolName + " went away"));
        client.exceptionHandler(e -> closeBoth(GOING_AWAY, "client connection failed", INTERNAL_ERROR, null));
        upstream.exceptionHandler(e -> closeBoth(INTERNAL_ERROR, poolName + " connection failed", GOING_AWAY, null));
        client.pongHandler(payload -> {
            awaitingPong = false;
            cancel(pongTimer);
        });
        pingTimer = vertx.setPeriodic(options.getWsPingInterval().toMillis(), id -> ping());
        upstream.resume();
    }

    private void copy(WebSocketBase from, WebSocketBase to, boolean fromClient) {
        int maxFrame = options.getWsMaxFrameBytes();
        int maxMessage = options.getWsMaxMessageBytes();
        long[] messageBytes = {0};
        from.frameHandler(frame -> {
            // Control frames are the connection's own business: pings are answered by Vert.x and
            // closes go through the close handlers, with their status code and reason.
            if (closing || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
                return;
            }
            int size = frame.binaryData().length();
            messageBytes[0] = frame.isContinuation() ? messageBytes[0] + size : size;
            if (size > maxFrame || messageBytes[0] > maxMessage) {
                String why = size > maxFrame ? "frame larger than " + maxFrame + " bytes"
                        : "message larger than " + maxMessage + " bytes";
                if (fromClient) {
                    closeBoth(TOO_BIG, why, GOING_AWAY, "client closed");
                } else {
                    closeBoth(INTERNAL_ERROR, poolName + " sent a " + why, TOO_BIG, why);
                }
                return;
            }
            to.writeFrame(frame);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
    }

    private void ping() {
        if (closing || awaitingPong) {
            return;
        }
        awaitingPong = true;
        client.writePing(PING_PAYLOAD);
        pongTimer = vertx.setTimer(options.getWsPongTimeout().toMillis(), id -> {
            if (awaitingPong) {
                closeBoth(INTERNAL_ERROR, "no pong within " + options.getWsPongTimeout().toMillis() + " ms",
                        GOING_AWAY, "client did not answer pings");
            }
        });
    }

    /** {@code closed} ended (close frame or lost connection): end {@code other} the same way. */
    private void passClose(WebSocketBase closed, WebSocketBase other, short fallbackCode, String fallbackReason) {
        if (closing) {
            return;
        }
        closing = true;
        stopTimers();
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
    private void closeBoth(short clientCode, String clientReason, short upstreamCode, String upstreamReason) {
        if (closing) {
            return;
        }
        closing = true;
        stopTimers();
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
    }

    private void cancel(long timer) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
