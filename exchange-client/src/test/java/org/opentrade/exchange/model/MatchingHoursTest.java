package org.opentrade.exchange.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When the exchange matches as orders come: always 24×7; A-share in its continuous sessions only. */
class MatchingHoursTest {
    private static final ZoneId SH = ZoneId.of("Asia/Shanghai");

    private static boolean aShare(String localTime) {
        return MatchingHours.continuousAt("a-share", SH, LocalDateTime.parse(localTime).atZone(SH).toInstant().toEpochMilli());
    }

    @Test
    void theAShareCalendarMatchesInItsContinuousSessionsOnly() {
        assertEquals(false, aShare("2026-01-05T09:20:00"), "opening call auction");
        assertEquals(false, aShare("2026-01-05T09:29:59"), "pre-open");
        assertEquals(true, aShare("2026-01-05T09:30:00"));
        assertEquals(true, aShare("2026-01-05T11:29:59"));
        assertEquals(false, aShare("2026-01-05T12:00:00"), "the break");
        assertEquals(true, aShare("2026-01-05T13:00:00"));
        assertEquals(true, aShare("2026-01-05T14:59:59"));
        assertEquals(false, aShare("2026-01-05T15:00:00"));
        assertEquals(false, aShare("2026-01-10T10:00:00"), "a Saturday");
        assertEquals(true, MatchingHours.continuousAt("continuous", SH, 0), "24x7 always matches");
    }
}
