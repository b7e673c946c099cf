package org.opentrade.market.adapter.ws;

import io.vertx.core.buffer.Buffer;
import org.opentrade.market.domain.stream.ChannelLog;

/**
 * One connection's subscription to one channel. {@code delivered} is the seq up to which the client has
 * the channel's state without a gap (everything written up to it), or -1 while it has no state yet (a
 * fresh subscription whose snapshot is still to be written). Owner context only.
 */
final class Subscription {
    final StreamConnection connection;
    final String channel;
    final ChannelLog<Buffer> log;
    long delivered;
    /** The client's seq belongs to another epoch: it needs a snapshot flagged as a gap, whatever the log holds. */
    boolean foreign;
    /** Timer of a resume ahead of the stable log's head ({@code MarketStreams#awaitHead}), or -1. */
    long aheadTimer = -1;

    Subscription(StreamConnection connection, String channel, ChannelLog<Buffer> log, long delivered) {
        this.connection = connection;
        this.channel = channel;
        this.log = log;
        this.delivered = delivered;
    }
}
