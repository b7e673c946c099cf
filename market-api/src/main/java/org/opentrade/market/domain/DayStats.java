package org.opentrade.market.domain;

/**
 * One symbol's statistics for the current trading day, as quotes and rankings show them. Prices and
 * money in hundredths, volumes in shares, ratios in basis points of a percent ({@code 123} =
 * 1.23 %), every ratio rounded half away from zero. An immutable value: {@link LiveSymbol#stats()}
 * makes a new one per call.
 *
 * @param last           price of the last trade (kept across day ends), 0 before the symbol's first trade
 * @param prevClose      the previous trading day's last price (the instrument's for the first day)
 * @param open           first trade price of the day, 0 before it (likewise high and low)
 * @param turnover       Σ price × qty of the day, hundredths
 * @param vwap           turnover / volume in hundredths (rounded half up), 0 without volume
 * @param buyVolume      active-buy volume (外盘): trades whose aggressor bought
 * @param sellVolume     active-sell volume (内盘); {@code buyVolume + sellVolume} may be below
 *                       {@code volume} after {@link LiveSymbol#adoptDayStats}, whose totals carry no side
 * @param change         {@code last − prevClose}, 0 without a last price or before the day's first trade
 *                       (then {@code last == prevClose})
 * @param changeBp       change / prevClose in basis points of a percent: {@code 123} is shown as "1.23"
 * @param amplitudeBp    (high − low) / prevClose in the same unit
 * @param turnoverRateBp volume / float shares in the same unit, 0 when float shares are unknown
 * @param pe             price / EPS in hundredths (price = last, or prevClose before any trade), 0 when
 *                       EPS ≤ 0
 * @param lastTradeTime  epoch ms of the last trade, 0 when unknown (after a restore from bars only)
 */
public record DayStats(String symbol, long last, long prevClose, long open, long high, long low, long volume,
                       long turnover, long trades, long vwap, long buyVolume, long sellVolume, long change,
                       long changeBp, long amplitudeBp, long turnoverRateBp, long pe, long lastTradeTime) {

    /**
     * Derives the ratios from the raw day figures; {@code floatShares} and {@code eps} as in
     * {@link Instrument} (0 = unknown).
     */
    public static DayStats of(String symbol, long last, long prevClose, long open, long high, long low, long volume,
                              long turnover, long trades, long buyVolume, long sellVolume, long floatShares,
                              long eps, long lastTradeTime) {
        long change = last != 0 && prevClose != 0 ? last - prevClose : 0;
        long changeBp = Ratios.mulDiv(change, 10_000, prevClose);
        long amplitudeBp = high > 0 && low > 0 ? Ratios.mulDiv(high - low, 10_000, prevClose) : 0;
        long turnoverRateBp = floatShares > 0 ? Ratios.mulDiv(volume, 10_000, floatShares) : 0;
        long price = last != 0 ? last : prevClose;
        long pe = eps > 0 ? Ratios.mulDiv(price, 100, eps) : 0;
        long vwap = Ratios.divRound(turnover, volume);
        return new DayStats(symbol, last, prevClose, open, high, low, volume, turnover, trades, vwap, buyVolume,
                sellVolume, change, changeBp, amplitudeBp, turnoverRateBp, pe, lastTradeTime);
    }

    /** Basis points of a percent as the wire's percent string: {@code 123 → "1.23"}, {@code -5 → "-0.05"}. */
    public static String percent(long bp) {
        StringBuilder sb = new StringBuilder(12);
        if (bp < 0) {
            sb.append('-');
        }
        long abs = Math.abs(bp);
        sb.append(abs / 100).append('.');
        long f = abs % 100;
        if (f < 10) {
            sb.append('0');
        }
        return sb.append(f).toString();
    }
}
