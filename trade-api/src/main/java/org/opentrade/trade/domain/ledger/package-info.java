/**
 * Paper accounts as an event-sourced projection: {@link org.opentrade.trade.domain.ledger.Ledger}.
 *
 * <h2>Why it is built this way</h2>
 * <ul>
 *   <li><b>Replace in place.</b> A REPLACED event keeps the order's id and gives it the new price and
 *       total qty, status {@code new} or {@code partially_filled}. The {@code replaced} status of
 *       docs/contracts.md is not used: the exchange keeps one order id across a replace, and so do we.</li>
 *   <li><b>Fees per order.</b> {@link org.opentrade.trade.domain.ledger.FeeBilling#PER_ORDER} (default)
 *       bills each fill the increase of {@code FeeSchedule.fee} on the order's cumulative value, so the
 *       5 CNY minimum is paid once per order (as A-share brokers bill) and a lone fill pays exactly
 *       {@code fee(side, price, qty)} (100 @ 10.00: buy 5.01, sell 5.51). It also makes the buy
 *       reservation sufficient for every later fill at or below the reserve price: partial fills never
 *       push buying power below zero. {@code PER_FILL} is there for brokers that bill each fill.</li>
 *   <li><b>Cost excludes fees; realized P&L is before fees.</b> Alpaca's convention. It makes the
 *       issue's identity exact: {@code cash + Σ cost basis + fees paid − realized P&L = starting
 *       balance}, and {@code equity − start = realized + unrealized − fees paid}. The basis is a total
 *       in hundredths; a partial close takes {@code basis × closed / held} (truncated) and a full close
 *       the remainder, so no rounding leaks.</li>
 *   <li><b>Oversells go short.</b> Risk refuses sells beyond the sellable quantity; if one gets
 *       through anyway the holding goes negative with a negative basis and a later buy closes it.
 *       Nothing throws and the identity still holds; sellable is 0 while short.</li>
 *   <li><b>Sellable = 可用.</b> Held shares, less those bought on today's trading day under T+1, less
 *       the leaves of open sell orders.</li>
 *   <li><b>Stream seq is state.</b> Every account-visible change (intent or event) takes the next
 *       account seq; it is in the snapshot and the hash, so a rebuild hands out the same seqs.</li>
 *   <li><b>Feed position is state.</b> Per shard; a redelivered event is ignored, a gap fails fast.</li>
 *   <li><b>Memory.</b> Bounded per account: open orders, and {@link LedgerOptions#historyKept()} of the orders
 *       closed last and of the newest fills (reads, paging); older ones are dropped, deterministically, so
 *       which ones are kept is state like the rest.</li>
 * </ul>
 */
package org.opentrade.trade.domain.ledger;
