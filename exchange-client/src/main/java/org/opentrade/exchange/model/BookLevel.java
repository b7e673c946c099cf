package org.opentrade.exchange.model;

/**
 * One aggregated price level of an order book.
 *
 * @param price  hundredths
 * @param qty    total remaining quantity resting at the price
 * @param orders number of resting orders at the price
 */
public record BookLevel(long price, long qty, int orders) {
}
