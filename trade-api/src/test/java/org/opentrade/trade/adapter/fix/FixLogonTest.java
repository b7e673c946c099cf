package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Logon: credentials checked by the (fake) gateway, refusals as a Logout whose Text says why; one session per key. */
class FixLogonTest extends FixHarnessTest {

    private static String refusal(String sender, String key, String secret, Map<Integer, String> extra, int heartbeat)
            throws Exception {
        try (FixClient c = new FixClient(h.fixPort, sender, key, secret, extra, heartbeat)) {
            c.start();
            String text = c.awaitLogoutText();
            assertTrue(!c.isLoggedOn(), "not logged on");
            return text;
        }
    }

    @Test
    void refusedLogonsUnderMadeUpSenderCompIdsLeaveNoSessionAndNoStoreFilesBehind() throws Exception {
        for (int i = 0; i < 12; i++) {
            assertEquals("logon refused: unknown key", refusal("R_probe" + i, "key_nobody", "x", Map.of(), 30));
        }
        FixHarness.until(() -> h.trade.fixAcceptor().sessions().isEmpty() && probeFiles() == 0
                && h.trade.fixAcceptor().sessionCount() == sessionsOtherThanProbes(), 15);
        assertEquals(0, probeFiles(), "store files of refused probe sessions are deleted");
    }

    @Test
    void aRefusedLogonUnderAClaimedNameWhoseNumbersTheDailyResetSetBackLeavesItsSessionAlone() throws Exception {
        String key = h.key("dev_owner");
        try (RawFix r = new RawFix(h.fixPort, "RAW_owned")) {
            r.send("A", "98=0|108=30|553=" + key + "|554=secret-dev_owner");
            r.next("A"); // the name is the owner's from now on
            r.send("5", "");
            r.next("5");
        }
        quickfix.SessionID id = new quickfix.SessionID("FIX.4.4", "OPENTRADE", "RAW_owned");
        FixHarness.until(() -> quickfix.Session.lookupSession(id) != null && !quickfix.Session.lookupSession(id).isLoggedOn(), 10);
        quickfix.Session.lookupSession(id).getStore().reset(); // what the daily reset does: numbers back to 1
        assertEquals("logon refused: unknown key", refusal("RAW_owned", "key_nobody", "guess", Map.of(), 30));
        Thread.sleep(3_000); // the refused session is looked at for discarding a second after the refusal
        assertTrue(h.trade.fixAcceptor().allSessions().contains(id), "the owner's session and its store stay: the"
                + " reports it keeps for the owner's next Logon would go with it");
    }

    @Test
    void aSenderCompIdThatCouldNameAPathGetsNoSession() throws Exception {
        int before = h.trade.fixAcceptor().sessionCount();
        try (RawFix r = new RawFix(h.fixPort, "../../evil")) {
            r.send("A", "98=0|108=30|553=key_nobody|554=x");
            assertTrue(r.closesWithin15s(), "the connection is dropped");
        }
        assertEquals(before, h.trade.fixAcceptor().sessionCount());
        assertEquals(0, filesNamedLike("evil"), "no store file");
    }

    private static long probeFiles() {
        return filesNamedLike("R_probe");
    }

    /** Files under the test's directory whose name contains {@code part}. */
    private static long filesNamedLike(String part) {
        return FixHarness.filesNamed(dir, n -> n.contains(part)).size();
    }

    private static int sessionsOtherThanProbes() {
        return (int) h.trade.fixAcceptor().allSessions().stream()
                .filter(id -> !id.getTargetCompID().startsWith("R_probe")).count();
    }

    @Test
    void anUnknownKeyIsRefusedWithAReason() throws Exception {
        assertEquals("logon refused: unknown key", refusal("L_unknown", "key_nobody", "x", Map.of(), 30));
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        h.key("dev_wrong");
        assertEquals("logon refused: wrong secret", refusal("L_wrong", "key_dev_wrong", "not-it", Map.of(), 30));
    }

    @Test
    void eachRefusalTheGatewayGivesIsPassedOnInText() throws Exception {
        for (String reason : new String[] {"key lacks scope fix", "key revoked", "key killed by an administrator",
                "key expired", "developer suspended"}) {
            String dev = "dev_" + reason.replace(' ', '_');
            String key = h.key(dev);
            h.keys.refuse(key, reason);
            assertEquals("logon refused: " + reason, refusal("L_" + dev, key, "secret-" + dev, Map.of(), 30));
        }
    }

    @Test
    void aLogonWithoutUsernameAndPasswordIsRefused() throws Exception {
        assertTrue(refusal("L_nocreds", null, null, Map.of(), 30).contains("Username(553)"));
    }

    @Test
    void aHeartbeatOutsideTheBoundsIsRefused() throws Exception {
        h.key("dev_hb");
        assertTrue(refusal("L_hb", "key_dev_hb", "secret-dev_hb", Map.of(), 3600).contains("HeartBtInt(108)"));
    }

    @Test
    void aSecondSessionWithTheSameKeyIsRefusedWhileTheFirstIsLive() throws Exception {
        try (FixClient first = h.client("dev_twice")) {
            String text = refusal("C_dev_twice_2", "key_dev_twice", "secret-dev_twice", Map.of(), 30);
            assertTrue(text.contains("already has a live session"), text);
            assertTrue(first.isLoggedOn(), "the first session is untouched");
        }
    }

    @Test
    void cancelOnDisconnectCancelsTheAccountsOpenOrdersWhenTheSessionEnds() throws Exception {
        String key = h.key("dev_cod");
        try (FixClient c = new FixClient(h.fixPort, "C_dev_cod", key, "secret-dev_cod", Map.of(8013, "Y"))) {
            c.start();
            c.awaitLogon();
            c.send(FixMessages.limitBuy("cod-1", "600309.SH", 100, "75.00"));
            c.expectReport('0', '0', 0, 100);
        }
        FixHarness.until(() -> {
            try {
                return "canceled".equals(h.rest(HttpMethod.GET, "dev_cod", "/v1/orders/by-client-id/cod-1", null)
                        .bodyAsJsonObject().getString("status"));
            } catch (Exception e) {
                return false;
            }
        }, 15);
    }

    @Test
    void cancelOnDisconnectWaitsForTheAccountsLastSessionThatAskedForIt() throws Exception {
        String first = h.key("dev_cod2");
        h.keys.accept("key_dev_cod2_b", "secret-b", "dev_cod2"); // a second key of the same developer
        FixClient a = new FixClient(h.fixPort, "C_dev_cod2_a", first, "secret-dev_cod2", Map.of(8013, "Y"));
        try (FixClient b = new FixClient(h.fixPort, "C_dev_cod2_b", "key_dev_cod2_b", "secret-b", Map.of(8013, "Y"))) {
            a.start();
            a.awaitLogon();
            b.start();
            b.awaitLogon();
            a.send(FixMessages.limitBuy("cod2-1", "600309.SH", 100, "75.00"));
            a.expectReport('0', '0', 0, 100);
        } // b ends: a, which asked for it too, still manages the account's orders
        a.send(FixMessages.limitBuy("cod2-2", "600309.SH", 100, "75.00"));
        a.expectReport('0', '0', 0, 100); // after b's logout was handled (one context, in order)
        assertEquals("new", status("dev_cod2", "cod2-1"), "another opted-in session is still live");
        a.close();
        FixHarness.until(() -> "canceled".equals(status("dev_cod2", "cod2-1"))
                && "canceled".equals(status("dev_cod2", "cod2-2")), 15);
    }

    private String status(String dev, String clientOrderId) {
        try {
            return h.rest(HttpMethod.GET, dev, "/v1/orders/by-client-id/" + clientOrderId, null).bodyAsJsonObject()
                    .getString("status");
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aKeyCheckThatDoesNotAnswerInTimeIsRefusedAndTheNextLogonWorks() throws Exception {
        h.key("dev_slow");
        h.keys.silent = true;
        try {
            assertTrue(refusal("C_dev_slow", "key_dev_slow", "secret-dev_slow", Map.of(), 30).contains("did not answer in time"));
        } finally {
            h.keys.silent = false;
        }
        try (FixClient c = h.client("dev_slow")) {
            assertTrue(c.isLoggedOn());
        }
    }
}
