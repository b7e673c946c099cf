package org.opentrade.market.adapter.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * The two places the stream server reaches below Vert.x's public API (5.0.x), kept here so an upgrade
 * that moves them breaks one small class:
 * <ul>
 *   <li>a text frame over an already-encoded UTF-8 buffer: the public API only makes text frames from a
 *       String, which would re-encode every message once per subscriber. {@code BufferInternal.getByteBuf()}
 *       returns an unreleasable slice with its own indices, so one buffer can back the frames of any number
 *       of connections, on any event loops, at once.</li>
 *   <li>the wire path: a text frame encoded once per message (RFC 6455 header + payload, server frames
 *       are not masked) into one pooled direct buffer, written to each connection as a retained duplicate
 *       from the pipeline position of Netty's WebSocket encoder, i.e. below Vert.x's write queue and the
 *       encoder but above everything nearer the socket (idle-state tracking; no TLS: with an
 *       {@link SslHandler} in the pipeline the wire path is not offered). A fan-out of one message to N
 *       connections then costs N buffer duplicates and N socket writes, not N frame encodings and copies
 *       through N Vert.x queues. A frame sent uncompressed is valid under permessage-deflate (RSV1 clear).</li>
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

    /**
     * The context to write wire frames from ({@link #wireFrame}), or null when the connection must use
     * Vert.x's write path (not a Vert.x WebSocket, TLS, or no Netty WebSocket encoder in the pipeline).
     */
    static ChannelHandlerContext wireContext(ServerWebSocket ws) {
        if (!(unwrap(ws) instanceof WebSocketInternal internal)) {
            return null;
        }
        ChannelHandlerContext any = internal.channelHandlerContext();
        if (any == null || any.pipeline().get(SslHandler.class) != null) {
            return null;
        }
        return any.pipeline().context(WebSocketFrameEncoder.class);
    }

    /** One final text frame as it goes on the wire, in a pooled direct buffer the caller owns (refCnt 1). */
    static ByteBuf wireFrame(Buffer utf8) {
        int len = utf8.length();
        int header = len < 126 ? 2 : len < 65_536 ? 4 : 10;
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(header + len);
        b.writeByte(0x81); // FIN, text
        if (len < 126) {
            b.writeByte(len);
        } else if (len < 65_536) {
            b.writeByte(126).writeShort(len);
        } else {
            b.writeByte(127).writeLong(len);
        }
        if (utf8 instanceof BufferInternal bi) {
            b.writeBytes(bi.getByteBuf());
        } else {
            b.writeBytes(utf8.getBytes());
        }
        return b;
    }

    /**
     * The socket vertx-web's router wraps ({@code ServerWebSocketWrapper}, which keeps the Vert.x socket in a
     * private field and does not expose it), or {@code ws} itself. Reflection, once per connection; a
     * failure (a Vert.x upgrade that renamed the field) leaves {@code ws}, i.e. the public write path.
     */
    static ServerWebSocket unwrap(ServerWebSocket ws) {
        java.lang.reflect.Field f = WRAPPER_DELEGATE;
        if (f != null && f.getDeclaringClass() == ws.getClass()) {
            try {
                return (ServerWebSocket) f.get(ws);
            } catch (IllegalAccessException | RuntimeException e) {
                return ws;
            }
        }
        return ws;
    }

    private static final java.lang.reflect.Field WRAPPER_DELEGATE = wrapperDelegate();

    private static java.lang.reflect.Field wrapperDelegate() {
        try {
            java.lang.reflect.Field f = Class.forName("io.vertx.ext.web.impl.ServerWebSocketWrapper")
                    .getDeclaredField("delegate");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static void hardClose(ServerWebSocket ws) {
        if (unwrap(ws) instanceof WebSocketInternal internal) {
            internal.channelHandlerContext().close();
        } else {
            ws.close();
        }
    }
}
