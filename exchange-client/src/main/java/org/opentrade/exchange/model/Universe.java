package org.opentrade.exchange.model;

import java.util.List;

/**
 * The exchange's instruments and calendar, answered on {@code opentrade.exchange.instruments}.
 *
 * @param calendar {@code continuous} (24×7, days end at {@code dayEnd}) or {@code a-share}
 * @param zone     the exchange's time zone id, e.g. {@code Asia/Shanghai}
 * @param dayEnd   local end of the trading day, {@code HH:mm}
 */
public record Universe(String calendar, String zone, String dayEnd, List<InstrumentInfo> instruments) {
    public Universe {
        instruments = List.copyOf(instruments);
    }
}
