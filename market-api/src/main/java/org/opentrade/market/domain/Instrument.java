package org.opentrade.market.domain;

import java.util.regex.Pattern;

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
    /**
     * A symbol a client can ask market-api for ({@code 600000.SH}, {@code BTC.X}): up to 12 letters or digits,
     * a dot, up to 4 letters, so at most 17 characters. Every history store must take every such symbol.
     */
    public static final Pattern SYMBOL = Pattern.compile("[0-9A-Za-z]{1,12}\\.[A-Za-z]{1,4}");

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
