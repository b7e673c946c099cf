package org.opentrade.market.domain;

/**
 * One K-line bar of one symbol. Prices and turnover in hundredths (turnover = Σ price × qty, so
 * hundredths of a yuan); {@code time} is the bar's start (epoch ms).
 *
 * @param buyVolume shares bought by aggressive buyers (外盘) within the bar; the rest of
 *                  {@code volume} was sold by aggressive sellers (内盘). 0 for imported bars that
 *                  did not say.
 */
public record Bar(String symbol, Interval interval, long time, long open, long high, long low, long close,
                  long volume, long turnover, long trades, long buyVolume) {
}
