package org.opentrade.trade.adapter.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * One connection's inbound side: counts frames against the per-second budget (excess ignored before
 * any parsing, so a flooding client costs the owner context nothing), re-assembles fragmented text
 * messages up to the size limit (never holding more), refuses binary messages, and decodes the rest.
 *
 * <p>Confined to the connection's event loop (its frame handler): no locks.
 */
final class InboundFrames {
    private enum Message { NONE, TEXT, BINARY }

    private final int maxFrameBytes;
    private final int maxPerSecond;
    private final int closeAt;
    private final LongSupplier clockMs;
    private final ClientFrameDecoder decoder;
    private long windowStart;
    private boolean started;
    private int framesInWindow;
    private boolean flooded;
    private Message message = Message.NONE;
    private Buffer parts;
    private boolean tooLarge;

    InboundFrames(OrderStreamOptions options, LongSupplier clockMs) {
        this.maxFrameBytes = options.maxFrameBytes();
        this.maxPerSecond = options.maxFramesPerSecond();
        this.closeAt = options.maxFramesPerSecond() * options.floodCloseFactor();
        this.clockMs = clockMs;
        this.decoder = new ClientFrameDecoder();
    }

    /** What to hand to the owner for this frame, or null for nothing (control frames, ignored frames). */
    ClientRequest read(WebSocketFrame frame) {
        if (flooded || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
            return null; // pings are answered by Vert.x; closes arrive through the close handler
        }
        long now = clockMs.getAsLong();
        if (!started || now - windowStart >= 1_000 || now < windowStart) {
            started = true;
            windowStart = now;
            framesInWindow = 0;
        }
        framesInWindow++;
        if (framesInWindow >= closeAt) {
            flooded = true;
            return new ClientRequest.Flooded(framesInWindow);
        }
        if (framesInWindow > maxPerSecond) {
            message = Message.NONE; // a message cut by the limit is dropped whole
            parts = null;
            return framesInWindow == maxPerSecond + 1 ? new ClientRequest.TooManyFrames(maxPerSecond, closeAt) : null;
        }
        if (frame.isContinuation()) {
            if (message == Message.NONE) {
                return null;
            }
        } else {
            message = frame.isText() ? Message.TEXT : Message.BINARY;
            parts = null;
            tooLarge = false;
        }
        if (message == Message.TEXT && !tooLarge) {
            Buffer data = frame.binaryData();
            if ((parts == null ? 0 : parts.length()) + data.length() > maxFrameBytes) {
                tooLarge = true;
                parts = null;
            } else if (frame.isFinal() && parts == null) {
                parts = data;
            } else {
                parts = (parts == null ? Buffer.buffer() : parts).appendBuffer(data);
            }
        }
        if (!frame.isFinal()) {
            return null;
        }
        Message done = message;
        Buffer text = parts;
        message = Message.NONE;
        parts = null;
        if (done == Message.BINARY) {
            return new ClientRequest.Invalid("binary frames are not supported: send JSON text frames");
        }
        if (tooLarge) {
            return new ClientRequest.Invalid("frame larger than " + maxFrameBytes + " bytes");
        }
        return decoder.decode(text.toString(StandardCharsets.UTF_8));
    }
}
