package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Bytes no engine would send, over a raw socket: the session layer answers with Reject(3),
 * BusinessMessageReject(j) or a disconnect as FIX 4.4 says, and the session (or a new one) and the
 * process keep working.
 */
class FixBadInputTest extends FixHarnessTest {

    private static RawFix logon(String developer) throws Exception {
        String key = h.key(developer);
        RawFix r = new RawFix(h.fixPort, "RAW_" + developer);
        r.send("A", "98=0|108=30|553=" + key + "|554=secret-" + developer);
        assertNotNull(r.next("A"), "logon answered");
        return r;
    }

    private static void stillWorks(RawFix r, String clOrdId, String symbol) throws Exception {
        r.send("1", "112=ping-" + clOrdId);
        assertEquals("ping-" + clOrdId, RawFix.field(r.next("0"), 112), "TestRequest answered by a Heartbeat");
        r.send("D", "11=" + clOrdId + "|55=" + symbol + "|54=1|60=20260101-00:00:00|38=100|40=2|44=5.00|59=0");
        String er = r.next("8");
        assertEquals(clOrdId, RawFix.field(er, 11));
    }

    @Test
    void garbageBetweenMessagesIsIgnoredAndTheSessionGoesOn() throws Exception {
        try (RawFix r = logon("dev_garbage")) {
            r.write("this is not FIX\u0001\u0000\u00ff garbage 8=FIX");
            r.write("\n\r\n");
            stillWorks(r, "g-1", "601288.SH");
        }
    }

    @Test
    void aMessageWithABadChecksumIsDroppedAndTheSameSeqIsThenAccepted() throws Exception {
        try (RawFix r = logon("dev_checksum")) {
            String m = r.message("FIX.4.4", "1", "112=bad");
            r.write(m.substring(0, m.length() - 4) + (m.endsWith("000\u0001") ? "001" : "000") + "\u0001");
            stillWorks(r, "k-1", "601288.SH"); // reuses the dropped message's seq
        }
    }

    @Test
    void aMissingRequiredTagIsRejectedWithReason1AndTheSessionGoesOn() throws Exception {
        try (RawFix r = logon("dev_missing")) {
            r.send("D", "11=m-0|55=601288.SH|60=20260101-00:00:00|38=100|40=2|44=5.00"); // no Side(54)
            String reject = r.next("3");
            assertEquals("1", RawFix.field(reject, 373), reject);
            assertEquals("54", RawFix.field(reject, 371), reject);
            stillWorks(r, "m-1", "601288.SH");
        }
    }

    @Test
    void anUnknownEnumValueIsRejectedWithReason5() throws Exception {
        try (RawFix r = logon("dev_enum")) {
            r.send("D", "11=e-0|55=601288.SH|54=Z|60=20260101-00:00:00|38=100|40=2|44=5.00");
            String reject = r.next("3");
            assertEquals("5", RawFix.field(reject, 373), reject);
            stillWorks(r, "e-1", "601288.SH");
        }
    }

    @Test
    void aValueOfTheWrongTypeIsRejectedWithReason6() throws Exception {
        try (RawFix r = logon("dev_type")) {
            r.send("D", "11=t-0|55=601288.SH|54=1|60=20260101-00:00:00|38=lots|40=2|44=5.00");
            String reject = r.next("3");
            assertEquals("6", RawFix.field(reject, 373), reject);
            stillWorks(r, "t-1", "601288.SH");
        }
    }

    @Test
    void anUnsupportedBusinessMessageGetsABusinessMessageReject() throws Exception {
        try (RawFix r = logon("dev_bmr")) {
            r.send("R", "131=qr-1|146=1|55=601288.SH"); // QuoteRequest: not offered
            String reject = r.next("j");
            assertEquals("3", RawFix.field(reject, 380), reject);
            stillWorks(r, "b-1", "601288.SH");
        }
    }

    @Test
    void aLogonWithAWrongBeginStringIsDisconnectedAndANewConnectionWorks() throws Exception {
        try (RawFix r = new RawFix(h.fixPort, "RAW_begin")) {
            r.write(r.message("FIX.4.2", "A", "98=0|108=30|553=" + h.key("dev_begin") + "|554=secret-dev_begin"));
            assertTrue(r.closesWithin15s(), "disconnected");
        }
        try (RawFix r = logon("dev_begin")) {
            stillWorks(r, "w-1", "601288.SH");
        }
    }

    @Test
    void aWrongBeginStringOnALiveSessionEndsItAndTheKeyLogsOnAgain() throws Exception {
        try (RawFix r = logon("dev_begin_live")) {
            r.write(r.message("FIX.4.2", "1", "112=x"));
            assertTrue(r.closesWithin15s(), "disconnected");
        }
        FixHarness.until(() -> h.trade.fixAcceptor().sessions().stream()
                .noneMatch(s -> s.getTargetCompID().equals("RAW_dev_begin_live")), 15);
        try (FixClient c = new FixClient(h.fixPort, "RAW_dev_begin_live2", h.key("dev_begin_live"),
                "secret-dev_begin_live", java.util.Map.of())) {
            c.start();
            c.awaitLogon();
        }
    }
}
