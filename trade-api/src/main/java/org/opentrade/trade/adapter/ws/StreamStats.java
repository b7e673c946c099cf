package org.opentrade.trade.adapter.ws;

/**
 * Counters of the order stream for {@code /metrics}; read on any thread, each value a moment's view.
 *
 * @param connections               live registered connections
 * @param subscriptions             connections subscribed to {@code orders} now
 * @param accounts                  accounts with a retention log (bounded: an idle one without subscriber is
 *                                  forgotten at the next heartbeat)
 * @param messagesSent              data frames written (live, replayed and snapshot frames) since start
 * @param slowConsumers             connections slow now (skipping data frames, in their grace period)
 * @param slowConsumersDropped      connections closed for not draining within the grace period
 * @param floodersClosed            connections closed for sending too many frames
 * @param cancelsOnDisconnect       times the cancel-on-disconnect handler was called for an account
 * @param queuedBytes               bytes handed to connections and not yet written to their sockets, now
 * @param peakConnectionQueuedBytes the most bytes ever waiting for one connection (bounded by the high-water
 *                                  mark plus {@link OrderStreams#CONTROL_SLACK_BYTES})
 * @param seqJumps                  updates whose seq skipped past the account's head (the publisher lost one;
 *                                  subscribers got a snapshot): should stay 0
 */
public record StreamStats(long connections, long subscriptions, long accounts, long messagesSent,
                          long slowConsumers, long slowConsumersDropped, long floodersClosed,
                          long cancelsOnDisconnect, long queuedBytes, long peakConnectionQueuedBytes, long seqJumps) {
}
