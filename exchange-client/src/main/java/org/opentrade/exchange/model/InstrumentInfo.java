package org.opentrade.exchange.model;

/**
 * One instrument of the exchange's universe as services see it: market rules plus the reference
 * figures market data needs. Prices in hundredths.
 *
 * @param prevClose   the universe's previous close (the first day's band reference)
 * @param bandPercent daily price band in percent around the reference (0 = none)
 * @param floatShares tradable shares (0 = unknown)
 * @param eps         earnings per share over the last year, hundredths (may be negative; 0 = unknown)
 */
public record InstrumentInfo(String symbol, String name, long prevClose, long tickSize, long boardLot,
                             long maxOrderQty, int bandPercent, long floatShares, long eps) {
}
