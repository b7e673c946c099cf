package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;
import quickfix.Session;
import quickfix.SessionID;

/**
 * A client that logs out and logs on again at once under the same SenderCompID is served every time. With
 * QuickFIX/J's own per-session threads about 2 % of such reconnects failed: the old connection's close event
 * (END_OF_STREAM, queued for the session, not the socket) arrived after the session had let go of that
 * connection and took the new one down, so the new Logon was answered by a closed socket, or answered and then
 * its socket closed, the session left logged on with no connection ({@link SessionDispatchers}).
 */
class FixReconnectTest extends FixHarnessTest {
    /** Before the fix, 1 000 rounds failed 20 to 80 times; each takes a few milliseconds. */
    private static final int ROUNDS = 1_000;

    @Test
    void aClientLoggingOnAgainRightAfterItsLogoutIsServedEveryTime() throws Exception {
        String name = "RECONNECT_FIRM";
        String logon = "98=0|108=30|141=Y|553=" + h.key("dev_reconnect") + "|554=secret-dev_reconnect";
        SessionID id = new SessionID("FIX.4.4", "OPENTRADE", name);
        for (int round = 0; round < ROUNDS; round++) {
            try (RawFix r = new RawFix(h.fixPort, name)) {
                r.send("A", logon);
                String answer = r.nextAny();
                assertNotNull(answer, "round " + round + ": the Logon was answered by a closed socket");
                assertEquals("A", RawFix.field(answer, 35), "round " + round + ": " + answer);
                r.send("5", "");
                assertNotNull(r.next("5"), "round " + round + ": the connection closed before the Logout's answer");
            }
            // As soon as the session has let go of the connection: the moment a quick client is back.
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (true) {
                Session s = Session.lookupSession(id);
                if (s == null || !s.hasResponder() && !s.isLoggedOn()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("round " + round + ": the session still has its connection after 15 s");
                }
                Thread.onSpinWait();
            }
        }
        FixHarness.until(() -> h.trade.fixAcceptor().sessions().isEmpty(), 15);
    }
}
