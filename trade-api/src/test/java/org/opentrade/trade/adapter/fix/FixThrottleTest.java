package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session's message rate (fix.max_messages_per_second, 20 here: bursts of 40). */
class FixThrottleTest {
    @TempDir
    static Path dir;
    static FixHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = FixHarness.start(dir, Map.of("OPENTRADE_TRADE_FIX_MAX_MESSAGES_PER_SECOND", "20"));
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    /** A Logon with ResetSeqNumFlag: both sides start at 1, whatever the session sent before. */
    private static RawFix logon(String developer) throws Exception {
        RawFix r = new RawFix(h.fixPort, "RAW_" + developer);
        r.send("A", "98=0|108=30|141=Y|553=" + h.key(developer) + "|554=secret-" + developer);
        assertNotNull(r.next("A"), "logon answered");
        return r;
    }

    private static void statusRequests(RawFix r, String prefix, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            r.send("H", "11=" + prefix + i + "|54=1|55=600000.SH");
        }
    }

    @Test
    void messagesPastTheBurstAreRejectedNotActedOnAndTheSessionGoesOn() throws Exception {
        try (RawFix r = logon("dev_burst")) {
            statusRequests(r, "b-", 50);
            List<String> answers = new ArrayList<>();
            while (answers.size() < 50) {
                String m = r.nextAny();
                assertNotNull(m, "the session was closed after " + answers);
                if (m.contains("|35=8|") || m.contains("|35=j|")) {
                    answers.add(m);
                }
            }
            long reports = answers.stream().filter(m -> m.contains("|35=8|")).count();
            List<String> rejects = answers.stream().filter(m -> m.contains("|35=j|")).toList();
            assertTrue(reports >= 40 && reports < 50, "the burst is answered, not all 50: " + reports);
            assertEquals(50 - reports, rejects.size());
            String reject = rejects.get(0);
            assertEquals("H", RawFix.field(reject, 372), reject);
            assertEquals("0", RawFix.field(reject, 380), reject);
            assertTrue(RawFix.field(reject, 58).startsWith("throttled: more than 20 messages per second"), reject);
            assertTrue(RawFix.field(reject, 379).startsWith("b-"), "names the ClOrdID: " + reject);
            Thread.sleep(1_100);
            r.send("1", "112=still-here");
            assertEquals("still-here", RawFix.field(r.next("0"), 112), "a second later the session is served");
        }
    }

    @Test
    void aSessionThatKeepsFloodingIsLoggedOut() throws Exception {
        try (RawFix r = logon("dev_flood")) {
            statusRequests(r, "f-", 200);
            String logout = r.next("5");
            assertNotNull(logout, "a Logout, not only a closed socket");
            assertTrue(RawFix.field(logout, 58).startsWith("message rate above 20 per second"), logout);
            assertTrue(r.closesWithin15s(), "and the connection is closed");
        }
        try (RawFix again = logon("dev_flood")) {
            again.send("1", "112=back");
            assertEquals("back", RawFix.field(again.next("0"), 112), "it may log on again and is served");
        }
    }
}
