package org.opentrade.trade.domain.ledger;

/**
 * One holding as read at one moment (docs/contracts.md Position), money in hundredths.
 *
 * <p>{@code costBasis} is the exact cost of the shares held, fees excluded; {@code avgCost} is
 * {@code costBasis / qty} rounded half up (display only: arithmetic uses the basis).
 * {@code sellableQty} is what a new sell may still take: shares held, less those bought today under
 * T+1, less the leaves of open sell orders (可用); never negative. {@code lastPrice} is the mark: the
 * caller's last trade price, or the average cost when it has none (then unrealized is 0).
 * {@code qty} is negative only when sells beyond the position got through (risk should prevent it).
 */
public record PositionView(String symbol, long qty, long sellableQty, long avgCost, long lastPrice, long marketValue,
                           long unrealizedPnl, long costBasis) {
}
