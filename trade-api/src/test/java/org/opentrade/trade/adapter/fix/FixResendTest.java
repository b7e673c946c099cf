package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the acceptor keeps for a ResendRequest (OrderOnlyStore): ExecutionReports, not market data.
 * A resend gives the report again (PossDupFlag) and fills the market data's numbers with a
 * SequenceReset-GapFill. How often it answers one ({@link ResendGate}): a repeat of what was just resent is
 * rejected, a request after a real gap is answered.
 */
class FixResendTest extends FixHarnessTest {

    @Test
    void marketDataIsNotKeptAndAResendGapFillsItButGivesTheReportAgain() throws Exception {
        String developer = "dev_resend";
        try (RawFix r = new RawFix(h.fixPort, "RAW_" + developer)) {
            r.send("A", "98=0|108=30|553=" + h.key(developer) + "|554=secret-" + developer);
            assertNotNull(r.next("A"), "logon answered");
            r.send("V", "262=rs-1|263=1|264=0|265=1|267=1|269=0|146=1|55=601988.SH");
            int w = Integer.parseInt(RawFix.field(r.next("W"), 34));
            h.counter("601988.SH", "BUY", "5.40", 100);
            int x = Integer.parseInt(RawFix.field(r.next("X"), 34));
            r.send("D", "11=rs-o1|55=601988.SH|54=1|60=20260101-00:00:00|38=100|40=2|44=5.30|59=0");
            String report = r.next("8");
            int er = Integer.parseInt(RawFix.field(report, 34));
            assertTrue(w < x && x < er, w + " " + x + " " + er);

            String kept = storeText("RAW_" + developer);
            assertTrue(kept.contains("\u000111=rs-o1\u0001"), "the report is kept");
            assertFalse(kept.contains("\u000135=W\u0001") || kept.contains("\u000135=X\u0001"),
                    "no market data is kept: " + kept.replace('\u0001', '|'));

            r.send("2", "7=" + w + "|16=" + er);
            List<String> resent = new ArrayList<>();
            String m;
            do {
                m = r.nextAny();
                assertNotNull(m, "the acceptor closed the session");
                resent.add(m);
            } while (!"rs-o1".equals(RawFix.field(m, 11)));
            String fill = resent.stream().filter(s -> s.contains("|35=4|")).findFirst().orElseThrow(
                    () -> new AssertionError("no SequenceReset in " + resent));
            assertEquals("Y", RawFix.field(fill, 123), "a GapFill");
            assertEquals(Integer.toString(w), RawFix.field(fill, 34), "from the snapshot's number");
            assertTrue(Integer.parseInt(RawFix.field(fill, 36)) > x, "past the increment: " + fill);
            // Live increments may come meanwhile (the order's own level), never resent ones.
            assertTrue(resent.stream().noneMatch(s -> (s.contains("|35=W|") || s.contains("|35=X|"))
                    && (s.contains("|43=Y|") || Integer.parseInt(RawFix.field(s, 34)) <= er)), resent.toString());
            String again = resent.get(resent.size() - 1);
            assertEquals("Y", RawFix.field(again, 43), "the report again, as a possible duplicate: " + again);
            assertEquals(Integer.toString(er), RawFix.field(again, 34));
        }
    }

    /** Stores of earlier builds kept market data: their resends are refused, so QuickFIX/J gap-fills them. */
    @Test
    void aResendOfMarketDataKeptByAnEarlierBuildIsRefusedAndOfAReportIsNot() throws Exception {
        FixApplication app = new FixApplication(FixAcceptorOptions.defaults(h.dir), null, Runnable::run, null, null, null);
        quickfix.SessionID id = new quickfix.SessionID("FIX.4.4", "OPENTRADE", "C_old");
        quickfix.Message staleX = new quickfix.fix44.MarketDataIncrementalRefresh();
        staleX.getHeader().setBoolean(43, true);
        assertThrows(quickfix.DoNotSend.class, () -> app.toApp(staleX, id));
        quickfix.Message liveX = new quickfix.fix44.MarketDataIncrementalRefresh();
        app.toApp(liveX, id); // sent as usual
        quickfix.Message report = new quickfix.fix44.ExecutionReport();
        report.getHeader().setBoolean(43, true);
        app.toApp(report, id); // resent as usual
        assertEquals("X", OrderOnlyStore.typeOf("8=FIX.4.4\u00019=5\u000135=X\u000134=3\u0001"));
        assertEquals("y", OrderOnlyStore.typeOf("35=y\u000134=3"));
        assertEquals("", OrderOnlyStore.typeOf("8=FIX.4.4\u00019=5\u0001"));
    }

    /**
     * A ResendRequest from 1 to infinity answered, then repeated: each repeat would read and send the session's day
     * again. The repeats get a session-level Reject naming BeginSeqNo, nothing is resent, they are counted, and the
     * session goes on.
     */
    @Test
    void aResendRequestRepeatedRightAfterItsResendIsRejectedResendsNothingAndIsCounted() throws Exception {
        String developer = "dev_resend_repeat";
        try (RawFix r = new RawFix(h.fixPort, "RAW_" + developer)) {
            r.send("A", "98=0|108=30|141=Y|553=" + h.key(developer) + "|554=secret-" + developer);
            assertNotNull(r.next("A"), "logon answered");
            r.send("D", "11=rr-1|55=600000.SH|54=1|60=20260101-00:00:00|38=100|40=2|44=9.50|59=0");
            int er = Integer.parseInt(RawFix.field(r.next("8"), 34));
            r.send("2", "7=1|16=0");
            String again = resent(r, "rr-1");
            assertEquals(Integer.toString(er), RawFix.field(again, 34), "the first is answered: " + again);

            long refusedBefore = h.trade.fixAcceptor().refusedResendRequests();
            int firstRepeat = r.seq;
            for (int i = 0; i < 5; i++) {
                r.send("2", "7=1|16=0");
            }
            r.send("1", "112=after-repeats");
            List<String> answers = new ArrayList<>();
            String m;
            do {
                m = r.nextAny();
                assertNotNull(m, "the acceptor closed the session after " + answers);
                answers.add(m);
            } while (!(m.contains("|35=0|") && "after-repeats".equals(RawFix.field(m, 112))));
            assertTrue(answers.stream().noneMatch(a -> "Y".equals(RawFix.field(a, 43))),
                    "nothing is resent again: " + answers);
            List<String> rejects = answers.stream().filter(a -> a.contains("|35=3|")).toList();
            assertEquals(5, rejects.size(), "one Reject per repeat: " + answers);
            for (int i = 0; i < rejects.size(); i++) {
                String reject = rejects.get(i);
                assertEquals(Integer.toString(firstRepeat + i), RawFix.field(reject, 45), "RefSeqNum: " + reject);
                assertEquals("2", RawFix.field(reject, 372), "RefMsgType ResendRequest: " + reject);
                assertEquals("7", RawFix.field(reject, 371), "RefTagID BeginSeqNo: " + reject);
                assertEquals("99", RawFix.field(reject, 373), "SessionRejectReason other: " + reject);
                assertTrue(RawFix.field(reject, 58).startsWith("ResendRequest refused: numbers up to " + er
                        + " were already resent within 30 s"), reject);
            }
            quickfix.SessionID id = new quickfix.SessionID("FIX.4.4", "OPENTRADE", r.sender);
            assertEquals(5, h.trade.fixAcceptor().application().resendGateOf(id).refused(), "counted for the session");
            assertEquals(refusedBefore + 5, h.trade.fixAcceptor().refusedResendRequests(), "and in the metric");
        }
    }

    /**
     * A real gap while repeats are refused: the client drops its connection, two fills are reported while it is
     * away, and the ResendRequest after its next Logon asks from its next expected number. It is not a repeat
     * (nothing from there was resent), so it is answered and gives both fills.
     */
    @Test
    void aResendRequestAfterARealGapGivesEveryReportWhileRepeatsAreRefused() throws Exception {
        String developer = "dev_resend_gap";
        String sender = "RAW_" + developer;
        quickfix.SessionID id = new quickfix.SessionID("FIX.4.4", "OPENTRADE", sender);
        int clientSeq;
        int expected;
        try (RawFix r = new RawFix(h.fixPort, sender)) {
            r.send("A", "98=0|108=30|141=Y|553=" + h.key(developer) + "|554=secret-" + developer);
            assertNotNull(r.next("A"), "logon answered");
            r.send("D", "11=gap-1|55=300059.SZ|54=1|60=20260101-00:00:00|38=300|40=2|44=22.10|59=0");
            assertEquals("0", RawFix.field(r.next("8"), 150), "resting");
            r.send("2", "7=1|16=0");
            resent(r, "gap-1");
            r.send("2", "7=1|16=0");
            String reject = r.next("3");
            assertNotNull(reject, "the acceptor closed the session");
            assertTrue(RawFix.field(reject, 58).startsWith("ResendRequest refused"), "repeats are refused: " + reject);
            expected = Integer.parseInt(RawFix.field(reject, 34)) + 1;
            clientSeq = r.seq;
        } // dropped, no Logout
        FixHarness.until(() -> {
            quickfix.Session s = quickfix.Session.lookupSession(id);
            return s != null && !s.hasResponder() && !s.isLoggedOn();
        }, 15);
        int sentBefore = quickfix.Session.lookupSession(id).getExpectedSenderNum();
        h.counter("300059.SZ", "SELL", "22.10", 100);
        h.counter("300059.SZ", "SELL", "22.10", 200);
        FixHarness.until(() -> quickfix.Session.lookupSession(id).getExpectedSenderNum() >= sentBefore + 2, 15);

        try (RawFix r = new RawFix(h.fixPort, sender)) {
            r.seq = clientSeq; // numbers continue on both sides
            r.send("A", "98=0|108=30|553=" + h.key(developer) + "|554=secret-" + developer);
            String logon = r.next("A");
            assertNotNull(logon, "logon answered");
            assertTrue(Integer.parseInt(RawFix.field(logon, 34)) > expected, "a real gap: " + logon);
            r.send("2", "7=" + expected + "|16=0");
            List<String> fills = new ArrayList<>();
            while (fills.size() < 2) {
                String m = r.nextAny();
                assertNotNull(m, "the acceptor closed the session after " + fills);
                assertFalse(m.contains("|35=3|"), "the ResendRequest after a real gap is answered: " + m);
                if (m.contains("|35=8|") && "Y".equals(RawFix.field(m, 43))) {
                    fills.add(m);
                }
            }
            assertEquals("F", RawFix.field(fills.get(0), 150), fills.get(0));
            assertEquals("100", RawFix.field(fills.get(0), 14), "the first fill: " + fills.get(0));
            assertEquals("F", RawFix.field(fills.get(1), 150), fills.get(1));
            assertEquals("300", RawFix.field(fills.get(1), 14), "the second fill: " + fills.get(1));
            assertEquals(Integer.toString(expected), RawFix.field(fills.get(0), 34), "from the first missed number");
        }
    }

    /** Reads until the ExecutionReport of {@code clOrdId} comes again as a possible duplicate; returns it. */
    private static String resent(RawFix r, String clOrdId) throws Exception {
        List<String> seen = new ArrayList<>();
        while (true) {
            String m = r.nextAny();
            assertNotNull(m, "the acceptor closed the session after " + seen);
            seen.add(m);
            if (m.contains("|35=8|") && clOrdId.equals(RawFix.field(m, 11)) && "Y".equals(RawFix.field(m, 43))) {
                return m;
            }
        }
    }

    /** All the text of the session's store files (its body holds the messages kept for resends). */
    private static String storeText(String sender) throws Exception {
        String all = FixHarness.storeText(h.dir, sender);
        assertFalse(all.isEmpty(), "the session's store body was found");
        return all;
    }
}
