package org.opentrade.exchange.domain;

/**
 * A tradable instrument and its market rules. Prices in hundredths.
 *
 * @param prevClose   reference price of the daily band (previous close)
 * @param tickSize    price increment, e.g. 1 = 0.01
 * @param boardLot    buy quantities must be multiples of it (sells may be odd lots)
 * @param maxOrderQty largest quantity of one order
 * @param bandPercent daily price band around the previous close, in percent (0 = no band)
 */
public record Instrument(String symbol, String name, long prevClose, long tickSize, long boardLot,
                         long maxOrderQty, int bandPercent) {

    public static final long DEFAULT_TICK = 1;
    public static final long DEFAULT_BOARD_LOT = 100;
    public static final long DEFAULT_MAX_ORDER_QTY = 1_000_000;

    public Instrument {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("instrument symbol must not be blank");
        }
        if (prevClose <= 0 || tickSize <= 0 || boardLot <= 0 || maxOrderQty <= 0 || bandPercent < 0
                || bandPercent >= 100) {
            throw new IllegalArgumentException("instrument " + symbol + ": prevClose, tickSize, boardLot and "
                    + "maxOrderQty must be positive and bandPercent in [0, 100)");
        }
    }

    /**
     * An A-share style instrument: tick 0.01, board lot 100, at most 1 000 000 per order, band ±20% for
     * the STAR market (688xxx) and ChiNext (300xxx), ±10% otherwise.
     */
    public static Instrument aShare(String symbol, String name, long prevClose) {
        boolean wideBand = symbol.startsWith("688") || symbol.startsWith("300");
        return new Instrument(symbol, name, prevClose, DEFAULT_TICK, DEFAULT_BOARD_LOT, DEFAULT_MAX_ORDER_QTY,
                wideBand ? 20 : 10);
    }

    /** Highest price allowed today for a reference price (rounded half up to the tick, as exchanges do). */
    public static long upperLimit(long reference, int bandPercent, long tick) {
        long raw = (reference * (100 + bandPercent) + 50) / 100;
        return raw / tick * tick;
    }

    /** Lowest price allowed today for a reference price. */
    public static long lowerLimit(long reference, int bandPercent, long tick) {
        long raw = (reference * (100 - bandPercent) + 50) / 100;
        return (raw + tick - 1) / tick * tick;
    }
}
