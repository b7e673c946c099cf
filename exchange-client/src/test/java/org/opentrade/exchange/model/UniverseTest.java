package org.opentrade.exchange.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.client.ExchangeJson;

/** The calendar a universe announces is the engine's: its phases, and its holidays across the wire. */
class UniverseTest {
    private static final ZoneId SH = ZoneId.of("Asia/Shanghai");

    private static long at(String localTime) {
        return LocalDateTime.parse(localTime).atZone(SH).toInstant().toEpochMilli();
    }

    private static Universe aShare(List<LocalDate> holidays) {
        return new Universe("a-share", "Asia/Shanghai", "15:00", List.of(), holidays);
    }

    @Test
    void theAShareCalendarMatchesInItsContinuousSessionsOnly() {
        TradingCalendar c = aShare(List.of()).tradingCalendar();
        assertEquals(SessionPhase.CALL_AUCTION, c.phaseAt(at("2026-01-05T09:20:00")));
        assertEquals(SessionPhase.PRE_OPEN, c.phaseAt(at("2026-01-05T09:29:59")));
        assertEquals(true, c.phaseAt(at("2026-01-05T09:30:00")).matches());
        assertEquals(true, c.phaseAt(at("2026-01-05T11:29:59")).matches());
        assertEquals(SessionPhase.BREAK, c.phaseAt(at("2026-01-05T12:00:00")));
        assertEquals(true, c.phaseAt(at("2026-01-05T13:00:00")).matches());
        assertEquals(true, c.phaseAt(at("2026-01-05T14:59:59")).matches());
        assertEquals(SessionPhase.CLOSED, c.phaseAt(at("2026-01-05T15:00:00")));
        assertEquals(SessionPhase.CLOSED, c.phaseAt(at("2026-01-10T10:00:00")), "a Saturday");
        Universe continuous = new Universe("continuous", "Asia/Shanghai", "15:00", List.of());
        assertEquals(SessionPhase.CONTINUOUS, continuous.tradingCalendar().phaseAt(0), "24x7 always matches");
    }

    @Test
    void holidaysCrossTheWireAndCloseTheirDays() {
        Universe sent = aShare(List.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 17)));
        JsonObject json = ExchangeJson.toJson(sent);
        Universe read = ExchangeJson.universeFromJson(json);
        assertEquals(sent.holidays(), read.holidays());
        assertEquals(SessionPhase.CLOSED, read.tradingCalendar().phaseAt(at("2026-02-17T10:00:00")), "a holiday");
        assertEquals(SessionPhase.CONTINUOUS, read.tradingCalendar().phaseAt(at("2026-02-18T10:00:00")));
        // An exchange from before holidays were sent: none.
        json.getJsonObject("calendar").remove("holidays");
        assertEquals(List.of(), ExchangeJson.universeFromJson(json).holidays());
    }
}
