package org.opentrade.trade.domain;

import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * A new order as the caller asked for it, already parsed (types checked) but not yet judged by the
 * risk rules. Prices in hundredths, 0 = none.
 */
public record OrderRequest(String clientOrderId, String symbol, Side side, OrderType type, TimeInForce timeInForce,
                           long qty, long price, long stopPrice) {
}
