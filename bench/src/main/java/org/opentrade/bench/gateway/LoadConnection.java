package org.opentrade.bench.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One keep-alive HTTP/1.1 connection of {@link FixedRateHttpLoad}: its channel, its copy of the
 * pre-encoded request, its response parser and the one request it may have outstanding (no
 * pipelining). A plain state holder; the generator's loop drives it. Used by the load thread only.
 */
final class LoadConnection {
    /** Not connected; reconnects at {@link #reconnectAt}. */
    static final int CLOSED = 0;
    /** Connect in progress since {@link #connectStartedAt}. */
    static final int CONNECTING = 1;
    /** Connected, no request outstanding. */
    static final int IDLE = 2;
    /** One request outstanding. */
    static final int BUSY = 3;

    /** The request being written: a view of the shared pre-encoded one, or the encoder's for this request. */
    ByteBuffer request;
    final HttpResponseParser parser = new HttpResponseParser();
    SocketChannel channel;
    SelectionKey key;
    int state = CLOSED;
    /** In the generator's ring of free connections (possibly as a stale entry, skipped when taken). */
    boolean inFreeRing;
    /** Answered a request since it connected: a server closing it when idle is then no error. */
    boolean served;
    long connectStartedAt;
    long reconnectAt;
    // the outstanding request
    long index;
    long intended;
    long sentAt;

    /** @param request the encoded request, shared read-only; this connection writes its own view of it */
    LoadConnection(ByteBuffer request) {
        this.request = request.duplicate();
    }

    /**
     * Starts a non-blocking connect and registers with the selector.
     *
     * @return true if connected at once (then registered for reads), false if the connect is pending
     */
    boolean open(Selector selector, InetSocketAddress address, long now) throws IOException {
        SocketChannel ch = SocketChannel.open();
        channel = ch;
        state = CONNECTING;
        connectStartedAt = now;
        served = false;
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (ch.connect(address)) {
            key = ch.register(selector, SelectionKey.OP_READ, this);
            return true;
        }
        key = ch.register(selector, SelectionKey.OP_CONNECT, this);
        return false;
    }

    /** Closes the channel, quietly; the connection is then {@link #CLOSED}. */
    void close() {
        if (key != null) {
            key.cancel();
            key = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            channel = null;
        }
        state = CLOSED;
    }
}
