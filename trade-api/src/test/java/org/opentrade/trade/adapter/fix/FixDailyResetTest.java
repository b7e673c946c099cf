package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.SystemTime;
import quickfix.SystemTimeSource;

/**
 * The FIX day (fix.daily_reset): at the boundary a live session is logged out, and the next Logon starts
 * both sides' sequence numbers at 1 with nothing kept from the day before.
 */
class FixDailyResetTest {
    @TempDir
    Path dir;

    @Test
    void atTheDailyResetALiveSessionIsLoggedOutAndStartsOverAtOne() throws Exception {
        // The boundary far enough ahead for a slow start of the harness (the option is read at start), then
        // QuickFIX/J's clock, which its session schedule reads, moved on to just before it (see aheadTo).
        Instant boundaryAt = Instant.now().plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        LocalTime boundary = LocalTime.ofInstant(boundaryAt, ZoneOffset.UTC);
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
                aheadTo(boundaryAt.minusSeconds(2));
                while (fixNow().isBefore(boundaryAt.minusSeconds(1))) {
                    assertEquals(1, h.trade.fixAcceptor().sessions().size(), "logged on until the boundary");
                    Thread.sleep(250);
                }
                assertNotNull(r.next("5"), "a Logout at the boundary (not just a closed socket)");
                assertFalse(fixNow().isBefore(boundaryAt), "not before the boundary");
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
        } finally {
            SystemTime.setTimeSource(null); // QuickFIX/J's own clock again, for the tests after this one
        }
    }

    /**
     * Moves QuickFIX/J's clock ({@link SystemTime}: its session schedule, store creation times and
     * SendingTime) on to {@code at} if it is ahead, so the test waits seconds for the boundary instead of the
     * harness's start-up allowance; nothing when the start took that long already. The jump (under 25 s) is
     * shorter than the session's 30 s heartbeat interval, so it sends no Heartbeat or TestRequest of its own.
     */
    private static void aheadTo(Instant at) {
        long shiftMs = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        SystemTime.setTimeSource(new SystemTimeSource() {
            @Override
            public long getTime() {
                return System.currentTimeMillis() + shiftMs;
            }

            @Override
            public LocalDateTime getNow() {
                return LocalDateTime.ofInstant(Instant.now().plusMillis(shiftMs), ZoneOffset.UTC);
            }
        });
    }

    /** Now on QuickFIX/J's clock. */
    private static Instant fixNow() {
        return Instant.ofEpochMilli(SystemTime.currentTimeMillis());
    }

    private static String storeText(FixHarness h) {
        return FixHarness.storeText(h.dir, "RAW_dev_day");
    }
}
