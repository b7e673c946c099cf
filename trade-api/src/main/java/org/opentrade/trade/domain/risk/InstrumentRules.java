package org.opentrade.trade.domain.risk;

import org.opentrade.exchange.model.InstrumentInfo;

/**
 * One instrument's market rules and the prices the risk checks value orders with, at the moment of
 * the check. Prices in hundredths; {@code 0} means unknown (no trade yet, an empty side of the book).
 *
 * @param tickSize    prices must be multiples of it
 * @param boardLot    buy quantities must be multiples of it
 * @param maxOrderQty the exchange's largest quantity of one order
 * @param bandPercent daily price band around {@code reference}, in percent (0 = no band)
 * @param reference   today's band reference (the exchange's reference price, normally the previous
 *                    close); 0 = unknown, and then the band is left to the exchange
 * @param lastPrice   last trade price (0 = none yet)
 * @param bestAsk     best ask in the book (0 = no ask)
 * @param bestBid     best bid in the book (0 = no bid)
 */
public record InstrumentRules(String symbol, long tickSize, long boardLot, long maxOrderQty, int bandPercent,
                              long reference, long lastPrice, long bestAsk, long bestBid) {

    public InstrumentRules {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("instrument rules: symbol must not be blank");
        }
        if (tickSize <= 0 || boardLot <= 0 || maxOrderQty <= 0) {
            throw new IllegalArgumentException("instrument rules of " + symbol
                    + ": tickSize, boardLot and maxOrderQty must be positive");
        }
        if (bandPercent < 0 || bandPercent >= 100) {
            throw new IllegalArgumentException("instrument rules of " + symbol + ": bandPercent must be in [0, 100)");
        }
        if (reference < 0 || lastPrice < 0 || bestAsk < 0 || bestBid < 0) {
            throw new IllegalArgumentException("instrument rules of " + symbol
                    + ": reference, lastPrice, bestAsk and bestBid must not be negative (0 = unknown)");
        }
    }

    /** The rules of a universe entry with today's reference and the current market. */
    public static InstrumentRules of(InstrumentInfo info, long reference, long lastPrice, long bestAsk, long bestBid) {
        return new InstrumentRules(info.symbol(), info.tickSize(), info.boardLot(), info.maxOrderQty(),
                info.bandPercent(), reference, lastPrice, bestAsk, bestBid);
    }

    /** Whether a price band applies and is known (a band and a reference). */
    public boolean hasBand() {
        return bandPercent > 0 && reference > 0;
    }

    /**
     * Highest price allowed today: reference × (100 + band) / 100 rounded half up to the cent, then
     * down to the tick — the sandbox exchange's own formula, so a price this check passes is one the
     * exchange accepts. Only meaningful when {@link #hasBand()}.
     */
    public long upperLimit() {
        long raw = (reference * (100 + bandPercent) + 50) / 100;
        return raw / tickSize * tickSize;
    }

    /** Lowest price allowed today: reference × (100 − band) / 100 rounded half up, then up to the tick. */
    public long lowerLimit() {
        long raw = (reference * (100 - bandPercent) + 50) / 100;
        return (raw + tickSize - 1) / tickSize * tickSize;
    }
}
