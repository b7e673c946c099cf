package org.opentrade.gateway.adapter.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;

/**
 * The bound on what a caller's pings can make the gateway hold. Vert.x (5.0, no option to turn it off) answers
 * every ping it reads with a pong written past the socket's write queue, whatever the queue holds: a caller that
 * sends pings and never reads had the gateway queue one pong per ping without bound (an empty ping, 6 bytes on
 * the wire, pins a queue entry of some 150 bytes), before authentication too. A ping that finds the caller's
 * write queue full therefore ends the caller's socket (1008, -3001, {@link #MESSAGE}) and pauses its reads, so
 * no more pings are read and answered: it holds at most the queue's high-water mark plus the pongs of one
 * socket read.
 */
public final class UnreadPongs {
    /** The error model's message of that close. */
    public static final String MESSAGE = "pings are sent faster than their pongs are read";

    private UnreadPongs() {
    }

    /**
     * Stops reading the caller's socket {@code ws}, from the handler of the ping that {@link #overflow overflowed}: a
     * pause made there alone is undone as soon as the handler returns (Vert.x grants one more read after each control
     * frame it delivers), so it is made again once the delivery is over. Called on {@code ws}'s event loop.
     */
    public static void stopReading(Vertx vertx, WebSocketBase ws) {
        ws.pause();
        vertx.runOnContext(v -> ws.pause());
    }

    /** Whether {@code frame}, read from the caller's socket {@code ws}, is a ping that found its write queue full. */
    public static boolean overflow(WebSocketBase ws, WebSocketFrame frame) {
        return frame.isPing() && !ws.isClosed() && ws.writeQueueFull();
    }
}
