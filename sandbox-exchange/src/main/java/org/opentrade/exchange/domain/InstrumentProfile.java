package org.opentrade.exchange.domain;

/**
 * Reference data of an instrument that matching does not use but market data does: the exchange is
 * the one source of the universe, so it carries them to market-api.
 *
 * @param floatShares tradable shares outstanding (0 = unknown): turnover rate = volume / float
 * @param eps         earnings per share over the last year in hundredths (may be negative; 0 = unknown)
 */
public record InstrumentProfile(long floatShares, long eps) {
    public static final InstrumentProfile UNKNOWN = new InstrumentProfile(0, 0);

    public InstrumentProfile {
        if (floatShares < 0) {
            throw new IllegalArgumentException("float shares must not be negative");
        }
    }
}
