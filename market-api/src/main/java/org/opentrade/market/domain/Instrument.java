package org.opentrade.market.domain;

/**
 * Reference data of one instrument, as market-api serves it. Prices in hundredths.
 *
 * @param board       {@code SH_MAIN}, {@code SZ_MAIN}, {@code STAR} (688xxx) or {@code CHINEXT} (300xxx)
 * @param prevClose   the universe's previous close (the first day's band reference)
 * @param bandPercent daily price band in percent (0 = none)
 * @param floatShares tradable shares outstanding, for turnover rate (0 = unknown)
 * @param eps         earnings per share over the last year in hundredths, for P/E (0 = unknown)
 */
public record Instrument(String symbol, String name, String board, long prevClose, long tickSize, long boardLot,
                         long maxOrderQty, int bandPercent, long floatShares, long eps) {

    /** The board an A-share code trades on. */
    public static String boardOf(String symbol) {
        if (symbol.startsWith("688")) {
            return "STAR";
        }
        if (symbol.startsWith("300") || symbol.startsWith("301")) {
            return "CHINEXT";
        }
        return symbol.endsWith(".SH") ? "SH_MAIN" : "SZ_MAIN";
    }
}
