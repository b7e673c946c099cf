package org.opentrade.exchange.app;

/**
 * A consistent-enough snapshot of the exchange's counters, safe to read from any thread (each
 * value is read from an atomic; they are not taken at one instant).
 *
 * @param ready              the exchange recovered and serves commands
 * @param commandsProcessed  commands the shards processed since start (excluding journal replay)
 * @param eventsPublished    events handed to the event bus since start
 * @param trades             TRADE events since start
 * @param rejections         REJECTED events since start
 * @param liveOrders         resting orders and untriggered stops, as of each shard's last batch
 * @param simulatorCommands  commands the liquidity simulator sent
 * @param simulatorRejections simulator commands the exchange refused (only races should cause any)
 * @param engineFailures     commands that made the engine throw (a bug; each is logged)
 * @param eventsRepublished  events published after recovery because a crash kept them from going out
 * @param consumersDropped   durable feed consumers dropped from the interest set for lagging
 */
public record ExchangeMetrics(boolean ready, long commandsProcessed, long eventsPublished, long trades,
                              long rejections, long liveOrders, long simulatorCommands, long simulatorRejections,
                              long engineFailures, long eventsRepublished, long consumersDropped) {
}
