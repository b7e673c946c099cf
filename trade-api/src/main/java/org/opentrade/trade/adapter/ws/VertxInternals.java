package org.opentrade.trade.adapter.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * The two places the order stream reaches below Vert.x's public API (5.0.x), kept here so an upgrade
 * that moves them breaks one small class:
 * <ul>
 *   <li>a text frame over an already-encoded UTF-8 buffer: the public API only makes text frames from a
 *       String, which would re-encode every message once per subscriber. {@code BufferInternal.getByteBuf()}
 *       returns an unreleasable slice with its own indices, so one buffer can back the frames of any number
 *       of connections, on any event loops, at once.</li>
 *   <li>a hard close: {@code close()} queues the close frame behind everything already queued, and a client
 *       that never reads never lets it out; closing the channel discards the queue.</li>
 * </ul>
 */
final class VertxInternals {
    private VertxInternals() {
    }

    static WebSocketFrame textFrame(Buffer utf8) {
        if (utf8 instanceof BufferInternal b) {
            return new WebSocketFrameImpl(WebSocketFrameType.TEXT, b.getByteBuf(), true);
        }
        return WebSocketFrame.textFrame(utf8.toString(), true);
    }

    static void hardClose(ServerWebSocket ws) {
        if (ws instanceof WebSocketInternal internal) {
            internal.channelHandlerContext().close();
        } else {
            ws.close();
        }
    }
}
