package org.opentrade.exchange.model;

/**
 * A live order as a snapshot shows it: resting in a book, or a stop waiting for its trigger.
 * Prices in hundredths ({@link Price#NONE} when absent).
 *
 * @param enteredAt time of the command that entered (or last re-prioritised) the order, epoch ms
 */
public record OrderView(long orderId, String account, String symbol, Side side, OrderType orderType,
                        TimeInForce tif, long price, long stopPrice, long qty, long filledQty, long leavesQty,
                        long enteredAt) {
}
