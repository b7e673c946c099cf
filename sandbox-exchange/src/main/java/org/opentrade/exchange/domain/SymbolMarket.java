package org.opentrade.exchange.domain;

import org.opentrade.exchange.model.Price;

/**
 * Everything the engine keeps for one symbol: rules, book, untriggered stops, band reference, the
 * day's statistics.
 */
final class SymbolMarket {
    final String symbol;
    final Instrument instrument;
    final OrderBook book;
    final StopBook stops = new StopBook();
    final DayStats day = new DayStats();
    /** Reference price of the daily band: previous close, rolled to the last price at each day end. */
    long referencePrice;

    SymbolMarket(String symbol, Instrument instrument, OrderBook book) {
        this.symbol = symbol;
        this.instrument = instrument;
        this.book = book;
        this.referencePrice = instrument == null ? Price.NONE : instrument.prevClose();
    }

    long upperLimit() {
        return Instrument.upperLimit(referencePrice, instrument.bandPercent(), instrument.tickSize());
    }

    long lowerLimit() {
        return Instrument.lowerLimit(referencePrice, instrument.bandPercent(), instrument.tickSize());
    }
}
