package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A session name (SenderCompID) is its first developer's: another developer's valid key cannot log on
 * under it (and read its reports or reset its store); one developer holds a bounded number of names;
 * one key has one live session even when Logons race; a live session ends when its key does.
 */
class FixSessionOwnershipTest extends FixHarnessTest {

    /** Logs on with a raw connection (ResetSeqNumFlag as given); returns the connection and the answer. */
    private static RawFix logOn(String name, String developer, boolean reset) throws Exception {
        RawFix r = new RawFix(h.fixPort, name);
        r.send("A", "98=0|108=30|" + (reset ? "141=Y|" : "") + "553=" + h.key(developer) + "|554=secret-" + developer);
        return r;
    }

    private static String answerType(RawFix r) throws Exception {
        String m = r.nextAny();
        return m == null ? "closed" : RawFix.field(m, 35) + (m.contains("|35=5|") ? ":" + RawFix.field(m, 58) : "");
    }

    @Test
    void anotherDevelopersKeyCannotLogOnUnderAnOwnedNameNorTouchItsReports() throws Exception {
        try (RawFix bob = logOn("OWNED_FIRM", "dev_bob", true)) {
            assertEquals("A", answerType(bob));
            bob.send("D", "11=bob-1|55=601988.SH|54=1|60=20260101-00:00:00|38=100|40=2|44=5.30|59=0");
            assertEquals("bob-1", RawFix.field(bob.next("8"), 11));
            bob.send("5", "");
            assertNotNull(bob.next("5"));
        }
        idle("OWNED_FIRM"); // else eve's connection is dropped as a second one of a live session
        try (RawFix eve = logOn("OWNED_FIRM", "dev_eve", true)) {
            String answer = answerType(eve);
            assertTrue(answer.startsWith("5:logon refused: SenderCompID(49) OWNED_FIRM is another developer's session"),
                    answer);
            String more;
            while ((more = eve.nextAny()) != null) {
                assertFalse(more.contains("bob-1"), "nothing of bob's reaches eve: " + more);
            }
        }
        assertTrue(storeText("OWNED_FIRM").contains("11=bob-1"), "eve's ResetSeqNumFlag did not empty bob's store");
        idle("OWNED_FIRM");
        try (RawFix bob = new RawFix(h.fixPort, "OWNED_FIRM")) {
            bob.seq = 4; // after the Logon, the order and the Logout of his first connection
            bob.send("A", "98=0|108=30|553=" + h.key("dev_bob") + "|554=secret-dev_bob");
            assertEquals("A", answerType(bob), "bob logs on again, his numbers continuing");
        }
    }

    /**
     * A refused Logon that carries the session's expected MsgSeqNum does not use it up: QuickFIX/J counts it,
     * and anyone who learnt the number (a Logon with 34=1 is told it) could keep the owner's next Logon "too
     * low" while the owner is offline.
     */
    @Test
    void refusedLogonsDoNotMoveAnOfflineOwnersSequenceNumbers() throws Exception {
        try (RawFix owner = logOn("SEQ_FIRM", "dev_seqowner", true)) {
            assertEquals("A", answerType(owner));
            owner.send("5", "");
            assertNotNull(owner.next("5"));
        }
        // Back to back, each with the number the one before left expected (3, 4, 5): their clean-ups overlap.
        for (int i = 0; i < 3; i++) {
            idle("SEQ_FIRM");
            try (RawFix eve = new RawFix(h.fixPort, "SEQ_FIRM")) {
                eve.seq = 3 + i;
                eve.send("A", "98=0|108=30|553=key_nobody|554=guess");
                String answer = answerType(eve);
                assertTrue(answer.startsWith("5:logon refused: unknown key"), "refused for its key, not its number: " + answer);
            }
        }
        Thread.sleep(2_500); // the acceptor's clean-up of a refused Logon runs 1 s after it
        idle("SEQ_FIRM");
        try (RawFix owner = new RawFix(h.fixPort, "SEQ_FIRM")) {
            owner.seq = 3;
            owner.send("A", "98=0|108=30|553=" + h.key("dev_seqowner") + "|554=secret-dev_seqowner");
            assertEquals("A", answerType(owner), "the owner's numbers continue where they were");
        }
    }

    /**
     * Waits until the session of {@code name} has no connection and is not logged on: QuickFIX/J closes the
     * socket, lets go of it, tells the application, then marks the session logged out, in that order.
     */
    private static void idle(String name) throws Exception {
        quickfix.SessionID id = new quickfix.SessionID("FIX.4.4", "OPENTRADE", name);
        FixHarness.until(() -> {
            quickfix.Session s = quickfix.Session.lookupSession(id);
            return s == null || !s.hasResponder() && !s.isLoggedOn();
        }, 15);
    }

    private static String storeText(String name) throws Exception {
        return FixHarness.storeText(dir, name);
    }

    @Test
    void aDeveloperHoldsAtMostTwentyNames() throws Exception {
        for (int i = 0; i < SessionOwners.MAX_NAMES_PER_DEVELOPER; i++) {
            try (RawFix r = logOn("MANY_" + i, "dev_many", true)) {
                assertEquals("A", answerType(r), "name " + i);
                r.send("5", "");
                assertNotNull(r.next("5"));
            }
            // One session per key: the next name's Logon is refused while this one still holds its connection.
            idle("MANY_" + i);
        }
        try (RawFix r = logOn("MANY_20", "dev_many", true)) {
            String answer = answerType(r);
            assertTrue(answer.contains("you already have 20 FIX sessions"), answer);
        }
        idle("MANY_0");
        try (RawFix r = logOn("MANY_0", "dev_many", true)) {
            assertEquals("A", answerType(r), "a name it holds still logs on");
        }
    }

    @Test
    void logonsRacingWithOneKeyLeaveOneSessionLoggedOn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 5; round++) {
                List<RawFix> connections = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    connections.add(new RawFix(h.fixPort, "RACE_" + round + "_" + i));
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (RawFix r : connections) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        r.send("A", "98=0|108=30|141=Y|553=" + h.key("dev_race") + "|554=secret-dev_race");
                        return answerType(r);
                    }));
                }
                go.countDown();
                int loggedOn = 0;
                for (Future<String> a : answers) {
                    String answer = a.get(30, TimeUnit.SECONDS);
                    if ("A".equals(answer)) {
                        loggedOn++;
                    } else {
                        assertTrue(answer.contains("one session per key"), answer);
                    }
                }
                assertEquals(1, loggedOn, "round " + round);
                for (RawFix r : connections) {
                    r.close();
                }
                FixHarness.until(() -> h.trade.fixAcceptor().sessions().isEmpty(), 15);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLiveSessionIsLoggedOutWhenItsKeyIsRevoked() throws Exception {
        try (RawFix r = logOn("REVOKED_FIRM", "dev_revoked", true)) {
            assertEquals("A", answerType(r));
            h.keys.refuse(h.key("dev_revoked"), "key revoked");
            String logout = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FixAcceptor.KEY_RECHECK_MILLIS / 1000 + 10);
            while (logout == null && System.nanoTime() < deadline) {
                String m = r.nextAny();
                if (m != null && m.contains("|35=5|")) {
                    logout = m;
                }
            }
            assertNotNull(logout, "a Logout within the recheck interval");
            assertEquals("logged out: key revoked", RawFix.field(logout, 58));
            // The client does not answer the Logout and sends an order: not acted on.
            r.send("D", "11=after-revoke|55=601988.SH|54=1|60=20260101-00:00:00|38=100|40=2|44=5.30|59=0");
            assertTrue(r.closesWithin15s(), "and the connection is closed");
            var orders = h.rest(io.vertx.core.http.HttpMethod.GET, "dev_revoked", "/v1/orders?status=all", null);
            assertFalse(orders.bodyAsString().contains("after-revoke"), orders.bodyAsString());
        }
        idle("REVOKED_FIRM");
        try (RawFix again = logOn("REVOKED_FIRM", "dev_revoked", true)) {
            assertEquals("5:logon refused: key revoked", answerType(again), "the next Logon is refused, not stuck");
        }
    }
}
