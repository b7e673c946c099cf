package org.opentrade.market.domain;

/**
 * One minute of the intraday minute line (分时). Prices in hundredths.
 *
 * @param time     the minute's start (epoch ms)
 * @param price    the minute's last trade price; carried forward over minutes without trades, the
 *                 previous close before the day's first trade
 * @param volume   shares traded in the minute (0 for an empty minute)
 * @param turnover Σ price × qty of the minute, hundredths
 * @param avgPrice the day's average price up to and including this minute (cumulative turnover /
 *                 cumulative volume, rounded half up to a hundredth); {@code price} before the
 *                 day's first trade
 */
public record MinutePoint(long time, long price, long volume, long turnover, long avgPrice) {
}
