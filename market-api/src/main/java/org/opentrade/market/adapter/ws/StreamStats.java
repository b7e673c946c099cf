package org.opentrade.market.adapter.ws;

/**
 * Counters of the stream server for {@code /metrics}; read on any thread, each value a moment's view.
 *
 * @param connections                 live registered connections
 * @param subscriptions               live subscriptions over all connections
 * @param channels                    channels with a log (bounded by symbols × kinds)
 * @param messagesSent                data frames written (live, replayed and snapshot frames) since start
 * @param slowConsumers               connections slow now (skipping data frames, in their grace period)
 * @param slowConsumersDropped        connections closed for not draining within the grace period
 * @param floodersClosed              connections closed for sending too many frames
 * @param queuedBytes                 bytes handed to connections and not yet written to their sockets, now
 * @param peakConnectionQueuedBytes   the most bytes ever waiting for one connection (bounded by the high-water
 *                                    mark plus {@link MarketStreams#CONTROL_SLACK_BYTES})
 * @param wireWrites                  frames written on the wire path (encoded once per message, below Vert.x's
 *                                    write queue; see {@code VertxInternals}) rather than through Vert.x
 */
public record StreamStats(long connections, long subscriptions, long channels, long messagesSent,
                          long slowConsumers, long slowConsumersDropped, long floodersClosed, long queuedBytes,
                          long peakConnectionQueuedBytes, long wireWrites) {
}
