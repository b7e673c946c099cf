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
 * SequenceReset-GapFill.
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

    /** All the text of the session's store files (its body holds the messages kept for resends). */
    private static String storeText(String sender) throws Exception {
        String all = FixHarness.storeText(h.dir, sender);
        assertFalse(all.isEmpty(), "the session's store body was found");
        return all;
    }
}
