package org.opentrade.trade.domain.ledger;

/**
 * An account as read at one moment (docs/contracts.md Account), money in hundredths.
 *
 * <p>Definitions (exact integers): {@code equity = cash + marketValue};
 * {@code buyingPower = cash − reserved}, {@code reserved} what open buy orders hold back
 * (leaves × reserve price + the fees they would still pay); {@code realizedPnl} is the trading gain
 * of closed shares <em>before</em> fees, {@code feesPaid} every fee since the last open/reset, so
 * {@code equity − startingCash = realizedPnl + unrealizedPnl − feesPaid}.
 *
 * @param startingCash the balance of the last open or reset
 * @param openOrders   number of open orders (pending_new, new, partially_filled)
 */
public record AccountView(String account, long cash, long buyingPower, long reserved, long equity, long marketValue,
                          long realizedPnl, long unrealizedPnl, long feesPaid, long startingCash, long openOrders) {
}
