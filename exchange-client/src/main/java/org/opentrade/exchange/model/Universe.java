package org.opentrade.exchange.model;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * The exchange's instruments and calendar, answered on {@code opentrade.exchange.instruments}.
 *
 * @param calendar {@code continuous} (24×7, days end at {@code dayEnd}) or {@code a-share}
 * @param zone     the exchange's time zone id, e.g. {@code Asia/Shanghai}
 * @param dayEnd   local end of the trading day, {@code HH:mm}
 * @param holidays the A-share calendar's exchange holidays (empty from an exchange that does not send them)
 */
public record Universe(String calendar, String zone, String dayEnd, List<InstrumentInfo> instruments,
                       List<LocalDate> holidays) {
    public Universe {
        instruments = List.copyOf(instruments);
        holidays = List.copyOf(holidays);
    }

    public Universe(String calendar, String zone, String dayEnd, List<InstrumentInfo> instruments) {
        this(calendar, zone, dayEnd, instruments, List.of());
    }

    /** Whether this is the A-share calendar (sessions, lunch break, T+1), rather than the 24×7 one. */
    public boolean aShare() {
        return "a-share".equals(calendar);
    }

    /** The exchange's session schedule, the one its engine runs on: phases and their boundaries. */
    public TradingCalendar tradingCalendar() {
        return aShare() ? new AShareCalendar(Set.copyOf(holidays))
                : new ContinuousCalendar(ZoneId.of(zone), LocalTime.parse(dayEnd));
    }
}
