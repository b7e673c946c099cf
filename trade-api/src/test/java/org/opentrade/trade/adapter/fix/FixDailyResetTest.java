package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FIX day (fix.daily_reset): at the boundary a live session is logged out, and the next Logon starts
 * both sides' sequence numbers at 1 with nothing kept from the day before.
 */
class FixDailyResetTest {
    @TempDir
    Path dir;

    @Test
    void atTheDailyResetALiveSessionIsLoggedOutAndStartsOverAtOne() throws Exception {
        LocalTime boundary = LocalTime.now(ZoneOffset.UTC).plusSeconds(20).withNano(0);
        try (FixHarness h = FixHarness.start(dir, Map.of(
                "OPENTRADE_TRADE_FIX_DAILY_RESET", boundary.format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                "OPENTRADE_TRADE_FIX_DAILY_RESET_ZONE", "UTC"))) {
            String developer = "dev_day";
            String logon = "98=0|108=30|553=" + h.key(developer) + "|554=secret-" + developer;
            try (RawFix r = new RawFix(h.fixPort, "RAW_" + developer)) {
                r.send("A", logon);
                assertNotNull(r.next("A"));
                r.send("D", "11=day-1|55=601988.SH|54=1|60=20260101-00:00:00|38=100|40=2|44=5.30|59=0");
                assertEquals("2", RawFix.field(r.next("8"), 34));
                assertTrue(storeText(h).contains("11=day-1"), "the report is kept for resends during the day");
                while (LocalTime.now(ZoneOffset.UTC).isBefore(boundary.minusSeconds(1))) {
                    assertEquals(1, h.trade.fixAcceptor().sessions().size(), "logged on until the boundary");
                    Thread.sleep(250);
                }
                assertNotNull(r.next("5"), "a Logout at the boundary (not just a closed socket)");
                assertFalse(LocalTime.now(ZoneOffset.UTC).isBefore(boundary), "not before the boundary");
            }
            FixHarness.until(() -> !storeText(h).contains("11=day-1"), 10);
            try (RawFix again = new RawFix(h.fixPort, "RAW_" + developer)) {
                again.send("A", logon); // the client's numbers start at 1 too
                String answer = again.next("A");
                assertNotNull(answer, "a new day's Logon at 1 is accepted");
                assertEquals("1", RawFix.field(answer, 34), "ours restart at 1: " + answer);
                again.send("1", "112=next-day");
                assertEquals("next-day", RawFix.field(again.next("0"), 112));
            }
        }
    }

    private static String storeText(FixHarness h) {
        return FixHarness.storeText(h.dir, "RAW_dev_day");
    }
}
