package org.opentrade.exchange.domain.sim;

/**
 * Counters of one simulator since it started. {@code rejections} counts the simulator's own
 * commands the exchange refused: in the live service only races with other traders (an order filled
 * while its cancel was in flight) should produce any.
 */
public record SimulatorStats(long commandsSent, long rejections, long tradesSeen, int liveOrders) {
}
