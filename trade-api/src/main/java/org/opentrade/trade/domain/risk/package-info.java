/**
 * Pre-trade risk: the rules an order or replace must pass before it goes to the exchange, each with
 * its own {@code error_no} ({@link org.opentrade.trade.domain.risk.RiskChecks} lists them in the order
 * they run). Plain Java, single-threaded on the trade context, time passed in. The only state is the
 * per-account order rate ({@link org.opentrade.trade.domain.risk.OrderRateLimiter}); accounts, the
 * kill switch flags, positions and reservations belong to the ledger, read through
 * {@link org.opentrade.trade.domain.risk.AccountState}.
 */
package org.opentrade.trade.domain.risk;
