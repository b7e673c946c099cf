package org.opentrade.trade.domain;

import org.opentrade.exchange.model.Side;

/**
 * One execution of one of the account's orders (docs/contracts.md Fill). {@code fillId} is
 * {@code <shard>-<seq>-<m|t>} from the exchange's TRADE event, so it is stable across restarts and
 * the same for a rebuild. Prices and fee in hundredths.
 */
public record Fill(String fillId, String orderId, String clientOrderId, String account, String symbol, Side side,
                   long price, long qty, long fee, boolean maker, long time, int shard, long seq) {
}
