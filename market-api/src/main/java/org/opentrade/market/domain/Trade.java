package org.opentrade.market.domain;

import org.opentrade.exchange.model.Side;

/**
 * One trade (分笔) as market-api keeps it: the exchange's TRADE event reduced to what market data
 * needs. {@code (shard, seq)} is the exchange's position of the event and identifies the trade.
 *
 * @param price     hundredths
 * @param aggressor the taker's side: BUY is an active buy (外盘), SELL an active sell (内盘)
 * @param time      epoch ms (engine time of the command that traded)
 */
public record Trade(int shard, long seq, String symbol, long time, long price, long qty, Side aggressor) {

    /** The public id: {@code <shard>-<seq>}, stable across restarts and instances. */
    public String tradeId() {
        return shard + "-" + seq;
    }
}
