package org.opentrade.trade.adapter.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection's state and its bounded writer. The writer counts every byte handed to Vert.x until
 * the socket has taken it (the write's future), which covers Vert.x's and Netty's queues alike, so what one
 * connection can hold in the heap is bounded whatever its client does: data frames are refused once the
 * count would pass the high-water mark (except into an empty queue, so one large frame always goes), control
 * frames (answers to the client, the one warning) get a further {@link OrderStreams#CONTROL_SLACK_BYTES}.
 *
 * <p>Fields are owner-context only, except the byte counters, which write completions decrement on the
 * connection's event loop.
 */
final class StreamConnection {
    final ServerWebSocket ws;
    final StreamCaller caller;
    private final AtomicLong queued = new AtomicLong();
    private final OrderStreams.Counters counters;
    private final int highWater;

    boolean registered;
    /** The socket is closed (close handler seen). */
    boolean closed;
    /** Unregistered by the server (slow consumer, flood, shutdown); the socket may still be closing. */
    boolean dropped;
    boolean slow;
    boolean warned;
    long graceTimer = -1;
    /** The timer of a subscribe waiting for the account's subscribe budget, or -1. */
    long pendingSubscribe = -1;

    /** Subscribed to {@code orders}. */
    boolean subscribed;
    /**
     * The seq up to which the client has the account's state without a gap (everything written up to it), or
     * -1 while it has none yet (a fresh subscription whose snapshot is still to be written).
     */
    long delivered = -1;
    /** The client's seq belongs to another epoch: it needs a snapshot flagged as a gap, whatever the log holds. */
    boolean foreign;

    StreamConnection(ServerWebSocket ws, StreamCaller caller, int highWater, OrderStreams.Counters counters) {
        this.ws = ws;
        this.caller = caller;
        this.highWater = highWater;
        this.counters = counters;
    }

    String account() {
        return caller.account();
    }

    long queuedBytes() {
        return queued.get();
    }

    /** Writes {@code frame} if the bound allows; false when refused (nothing written). */
    boolean tryWrite(Buffer frame, boolean control) {
        int len = frame.length();
        long q = queued.get();
        if (control ? q + len > (long) highWater + OrderStreams.CONTROL_SLACK_BYTES
                : slow || (q > 0 && q + len > highWater)) {
            return false;
        }
        long now = queued.addAndGet(len);
        counters.queuedBytes.addAndGet(len);
        counters.peakConnectionQueuedBytes.accumulateAndGet(now, Math::max);
        ws.writeFrame(VertxInternals.textFrame(frame)).onComplete(ar -> {
            queued.addAndGet(-len);
            counters.queuedBytes.addAndGet(-len);
        });
        return true;
    }
}
