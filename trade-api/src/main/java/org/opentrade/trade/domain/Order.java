package org.opentrade.trade.domain;

import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * One order of one account, as trade-api shows it (docs/contracts.md Order). Prices in hundredths
 * ({@code 0} = none), times epoch ms. Immutable: each change is a new value.
 *
 * @param orderId       trade-api's id (the exchange order id as a decimal string)
 * @param exchangeId    the exchange order id
 * @param avgFillPrice  volume-weighted fill price in hundredths, rounded half up; 0 before a fill
 * @param updateSeq     the account stream seq of the last change (0 = never streamed)
 */
public record Order(String orderId, long exchangeId, String account, String clientOrderId, String symbol, Side side,
                    OrderType type, TimeInForce timeInForce, long qty, long price, long stopPrice, long filledQty,
                    long leavesQty, long avgFillPrice, long filledValue, OrderStatus status, String rejectReason,
                    int rejectCode, long createdAt, long updatedAt, long updateSeq) {
}
