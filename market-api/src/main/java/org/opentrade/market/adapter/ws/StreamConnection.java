package org.opentrade.market.adapter.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection's state and its bounded writer. The writer counts every byte handed to Vert.x
 * until the socket has taken it (the write's future), which covers Vert.x's and Netty's queues alike, so
 * what one connection can hold in the heap is bounded whatever its client does: data frames are refused
 * once the count would pass the high-water mark (except into an empty queue, so one large frame always
 * goes), control frames (answers to the client, the one warning) get a further
 * {@link MarketStreams#CONTROL_SLACK_BYTES}.
 *
 * <p>Fields are owner-context only, except the byte counters, which write completions decrement on the
 * connection's event loop.
 */
final class StreamConnection {
    final ServerWebSocket ws;
    final StreamCaller caller;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final AtomicLong queued = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean drainWatch = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Runnable drained = () -> { };
    private final MarketStreams.Counters counters;
    private final int highWater;

    boolean registered;
    /** The socket is closed (close handler seen). */
    boolean closed;
    /** Unregistered by the server (slow consumer, flood, shutdown); the socket may still be closing. */
    boolean dropped;
    boolean slow;
    boolean warned;
    long graceTimer = -1;

    /** Where wire frames are written from, or null for Vert.x's write path (see {@link VertxInternals}). */
    private final ChannelHandlerContext wire;

    StreamConnection(ServerWebSocket ws, StreamCaller caller, int highWater, MarketStreams.Counters counters) {
        this.ws = ws;
        this.wire = VertxInternals.wireContext(ws);
        this.caller = caller;
        this.highWater = highWater;
        this.counters = counters;
    }

    long queuedBytes() {
        return queued.get();
    }

    /** Writes {@code frame} if the bound allows; false when refused (nothing written). */
    boolean tryWrite(Buffer frame, boolean control) {
        return tryWrite(frame, null, control);
    }

    /**
     * Writes {@code frame} if the bound allows; false when refused (nothing written). {@code wireFrame}, when
     * not null, is {@code frame} already encoded for the wire ({@link VertxInternals#wireFrame}, shared by
     * every connection a message goes to; this writes a retained duplicate and leaves the caller's
     * reference alone). Called on the owner thread: when that is the connection's event loop (the server's
     * one context serves both), the frame goes to Netty below Vert.x's queue at once; otherwise through
     * Vert.x, which hands it over to the connection's event loop in order.
     */
    boolean tryWrite(Buffer frame, ByteBuf wireFrame, boolean control) {
        int len = frame.length();
        long q = queued.get();
        if (control ? q + len > (long) highWater + MarketStreams.CONTROL_SLACK_BYTES
                : slow || (q > 0 && q + len > highWater)) {
            return false;
        }
        long now = queued.addAndGet(len);
        counters.queuedBytes.addAndGet(len);
        counters.peakConnectionQueuedBytes.accumulateAndGet(now, Math::max);
        if (wire != null && wire.executor().inEventLoop()) {
            ByteBuf out = wireFrame != null ? wireFrame.retainedDuplicate() : VertxInternals.wireFrame(frame);
            ChannelPromise written = wire.newPromise();
            written.addListener(f -> written(len));
            wire.writeAndFlush(out, written);
            counters.wireWrites++; // owner thread only
        } else {
            ws.writeFrame(VertxInternals.textFrame(frame)).onComplete(ar -> written(len));
        }
        return true;
    }

    private void written(int len) {
        long left = queued.addAndGet(-len);
        counters.queuedBytes.addAndGet(-len);
        if (left <= highWater / 2 && drainWatch.compareAndSet(true, false)) {
            drained.run();
        }
    }

    /** Runs {@code drained} (any thread) once a watched connection's queue is down to half the mark. */
    void onDrained(Runnable drained) {
        this.drained = drained;
    }

    /** Watches the queue for {@link #onDrained} from now, or no longer. */
    void watchDrain(boolean on) {
        drainWatch.set(on);
    }
}
