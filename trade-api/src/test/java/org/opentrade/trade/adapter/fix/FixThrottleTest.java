package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.SessionID;

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
    void aClientThatSkipsASeqAndKeepsSendingIsDisconnectedOnceTheQueueAheadOfTheGapIsFull() throws Exception {
        RawFix r = logon("dev_gap");
        r.seq++; // one number skipped: what follows waits for a resend that never comes
        for (int i = 0; i <= GapQueue.MAX_QUEUED; i++) {
            r.send("H", "11=gap" + i + "|54=1|55=600000.SH"); // never reaches the rate limit: only queued
        }
        assertTrue(r.closesWithin15s(), "disconnected: the queue ahead of a gap is bounded");
    }

    @Test
    void messagesPastTheBurstAreRejectedNotActedOnAndTheSessionGoesOn() throws Exception {
        try (RawFix r = logon("dev_burst")) {
            statusRequests(r, "b-", 60); // 20 past the burst: refused, yet not enough to log out
            List<String> answers = new ArrayList<>();
            while (answers.size() < 60) {
                String m = r.nextAny();
                assertNotNull(m, "the session was closed after " + answers);
                if (m.contains("|35=8|") || m.contains("|35=j|")) {
                    answers.add(m);
                }
            }
            long reports = answers.stream().filter(m -> m.contains("|35=8|")).count();
            List<String> rejects = answers.stream().filter(m -> m.contains("|35=j|")).toList();
            // 40 (the burst) and what the bucket refilled while they were read (one every 50 ms).
            assertTrue(reports >= 40 && reports < 60, "the burst is answered, not all 60: " + reports);
            assertEquals(60 - reports, rejects.size());
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
    void aLogonWithinTheSessionDoesNotRefillItsBucket() throws Exception {
        try (RawFix r = logon("dev_relogon")) {
            long start = System.nanoTime();
            statusRequests(r, "p-", 40); // the burst
            int reports = reports(r, 40);
            SessionID session = new SessionID("FIX.4.4", "OPENTRADE", r.sender);
            MessageThrottle bucket = h.trade.fixAcceptor().application().throttleOf(session);
            assertNotNull(bucket, "the session has its bucket");
            // A Logon with ResetSeqNumFlag within the live session (FIX's in-session sequence reset): QuickFIX/J takes
            // it, and it made the session a new, full bucket, so a client could reset its way past any rate.
            r.seq = 1;
            r.send("A", "98=0|108=30|141=Y|553=" + h.key("dev_relogon") + "|554=secret-dev_relogon");
            assertNotNull(r.next("A"), "the in-session Logon is answered");
            assertSame(bucket, h.trade.fixAcceptor().application().throttleOf(session), "the same bucket after it");
            // 15 and the Logon: fewer refused than the rate's worth (20) within a second, so not logged out.
            statusRequests(r, "q-", 15);
            reports += reports(r, 15);
            double seconds = (System.nanoTime() - start) / 1e9;
            // One bucket: the burst, and what it refilled meanwhile (20 a second); a second bucket gives 40 more.
            assertTrue(reports <= 40 + (int) Math.ceil(20 * seconds), reports + " answered in " + seconds + " s");
        }
    }

    /** Reads {@code n} answers (ExecutionReports or BusinessMessageRejects) and counts the reports. */
    private static int reports(RawFix r, int n) throws Exception {
        int reports = 0;
        for (int answers = 0; answers < n; ) {
            String m = r.nextAny();
            assertNotNull(m, "the session was closed after " + answers + " answers");
            if (m.contains("|35=8|") || m.contains("|35=j|")) {
                answers++;
                reports += m.contains("|35=8|") ? 1 : 0;
            }
        }
        return reports;
    }

    @Test
    void aNewOrderPastTheBurstGetsItsOwnRejectionAndNoOrderIsMade() throws Exception {
        try (RawFix r = logon("dev_orders")) {
            // The burst, spent, and 5 more: the new order stays past the bucket even if the acceptor takes up
            // to 250 ms over them (20 a second refill one every 50 ms); 6 refusals are far from a logout.
            statusRequests(r, "s-", 45);
            r.send("D", "11=over-1|55=600000.SH|54=1|60=20260101-00:00:00|38=100|40=2|44=10.00|59=0");
            String report;
            do {
                report = r.next("8");
                assertNotNull(report, "the session was closed");
            } while (!"over-1".equals(RawFix.field(report, 11)));
            assertEquals("8", RawFix.field(report, 150), "ExecType Rejected: " + report);
            assertEquals("8", RawFix.field(report, 39), report);
            assertEquals("3", RawFix.field(report, 103), "OrdRejReason exceeds limit: " + report);
            assertEquals("NONE", RawFix.field(report, 37), "no order was made");
            assertTrue(RawFix.field(report, 58).startsWith("throttled: more than 20 messages per second"), report);
        }
    }

    /**
     * An order system tracks a cancel or replace by its ClOrdID and waits for an ExecutionReport or an
     * OrderCancelReject (35=9); a BusinessMessageReject would leave it pending. Past the burst both get the
     * OrderCancelReject, with the order's status as it stands (New; 8 and NONE for an unknown order).
     */
    @Test
    void aCancelOrReplacePastTheBurstGetsAnOrderCancelRejectWithTheOrdersStatus() throws Exception {
        try (RawFix r = logon("dev_cancels")) {
            r.send("D", "11=rest-1|55=601988.SH|54=1|60=20260101-00:00:00|38=100|40=2|44=5.30|59=0");
            String placed = r.next("8");
            assertEquals("0", RawFix.field(placed, 39), "resting: " + placed);
            statusRequests(r, "c-", 55); // 15 past the burst: the F and G stay refused even if reading takes 700 ms
            r.send("F", "11=cxl-1|41=rest-1|55=601988.SH|54=1|60=20260101-00:00:00|38=100");
            r.send("G", "11=rpl-1|41=gone-1|55=601988.SH|54=1|60=20260101-00:00:00|38=200|40=2|44=5.20");
            String cancelReject = null;
            String replaceReject = null;
            while (cancelReject == null || replaceReject == null) {
                String m = r.nextAny();
                assertNotNull(m, "the session was closed");
                assertFalse(m.contains("|35=j|") && !"H".equals(RawFix.field(m, 372)),
                        "no BusinessMessageReject for a cancel or replace: " + m);
                if (m.contains("|35=9|") && "cxl-1".equals(RawFix.field(m, 11))) {
                    cancelReject = m;
                } else if (m.contains("|35=9|") && "rpl-1".equals(RawFix.field(m, 11))) {
                    replaceReject = m;
                }
            }
            assertEquals("1", RawFix.field(cancelReject, 434), "CxlRejResponseTo cancel: " + cancelReject);
            assertEquals("2", RawFix.field(cancelReject, 102), "CxlRejReason broker option: " + cancelReject);
            assertEquals("0", RawFix.field(cancelReject, 39), "the order is still New: " + cancelReject);
            assertEquals("rest-1", RawFix.field(cancelReject, 41), cancelReject);
            assertEquals(RawFix.field(placed, 37), RawFix.field(cancelReject, 37), cancelReject);
            assertTrue(RawFix.field(cancelReject, 58).startsWith("throttled: more than 20 messages per second"),
                    cancelReject);
            assertEquals("2", RawFix.field(replaceReject, 434), "CxlRejResponseTo replace: " + replaceReject);
            assertEquals("8", RawFix.field(replaceReject, 39), "unknown order: " + replaceReject);
            assertEquals("NONE", RawFix.field(replaceReject, 37), replaceReject);

            Thread.sleep(1_100);
            r.send("H", "11=rest-1|54=1|55=601988.SH");
            String status;
            do {
                status = r.next("8");
                assertNotNull(status, "the session was closed");
            } while (!"I".equals(RawFix.field(status, 150)));
            assertEquals("0", RawFix.field(status, 39), "the refused cancel was not acted on: " + status);
        }
    }

    /**
     * QuickFIX/J takes a Logon on a session once a Logout was sent; a session we logged out for its rate must
     * not log on again on the same connection (it would start over with a full bucket, round after round).
     */
    @Test
    void aSessionLoggedOutForItsRateCannotLogOnAgainOnTheSameConnection() throws Exception {
        try (RawFix r = logon("dev_relogon")) {
            statusRequests(r, "rl-", 200);
            assertNotNull(r.next("5"), "the rate's Logout");
            r.send("A", "98=0|108=30|553=" + h.key("dev_relogon") + "|554=secret-dev_relogon");
            String m;
            while ((m = r.nextAny()) != null) {
                assertFalse(m.contains("|35=A|"), "logged on again on the same connection: " + m);
            }
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
        // As an initiator does (ReconnectInterval): a Logon that comes while QuickFIX/J is still ending the
        // session (its socket is closed before the session has let go of it) is dropped; the next one is served.
        RawFix again = null;
        for (int attempt = 0; again == null && attempt < 5; attempt++) {
            FixHarness.until(() -> h.trade.fixAcceptor().sessions().isEmpty(), 15);
            RawFix r = new RawFix(h.fixPort, "RAW_dev_flood");
            r.send("A", "98=0|108=30|141=Y|553=" + h.key("dev_flood") + "|554=secret-dev_flood");
            if (r.next("A") != null) {
                again = r;
            } else {
                r.close();
                Thread.sleep(500); // a client's reconnect interval, shortened
            }
        }
        assertNotNull(again, "it may log on again");
        try (RawFix served = again) {
            served.send("1", "112=back");
            assertEquals("back", RawFix.field(served.next("0"), 112), "and is served");
        }
    }
}
