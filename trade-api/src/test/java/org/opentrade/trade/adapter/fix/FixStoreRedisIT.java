package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.redis.RedisServer;
import quickfix.Message;

/**
 * FIX with trade-api's Redis store, as distributed mode runs it: a process of the instance on another host
 * (another data directory, the same Redis) continues a live session where the one before stopped: sequence
 * numbers on both sides, a ResendRequest answered with what the first process sent, the session's name still
 * its developer's. With the file store there, the session started over (a client had to log on with
 * ResetSeqNumFlag) and the first developer to log on under a name took it.
 */
class FixStoreRedisIT {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @TempDir
    Path dir;

    @Test
    void aProcessOnAnotherHostContinuesTheSessionAnswersItsResendRequestAndKeepsItsName() throws Exception {
        REDIS.flushAll();
        Map<String, String> redis = Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri());
        try (FixHarness h = FixHarness.start(dir, redis)) {
            try (FixClient c = h.client("dev_failover")) {
                c.send(FixMessages.limitBuy("fo-1", "300059.SZ", 300, "22.10"));
                Message n = c.expectReport('0', '0', 0, 300);
                int newReportSeq = n.getHeader().getInt(34);
                int sentBefore = c.qfj().getExpectedSenderNum();

                h.stopTrade();
                FixHarness.until(() -> !c.isLoggedOn(), 15);
                // The initiator lost what it received from the New report on: after the Logon it asks for a resend.
                c.qfj().setNextTargetMsgSeqNum(newReportSeq);
                h.startTrade(Map.of("OPENTRADE_TRADE_DATA_DIR", dir.resolve("another-host").toString()));
                c.awaitLogon();

                Message resent = c.next(m -> "8".equals(FixClient.type(m)) && FixRestartTest.isPossDup(m),
                        "a resent ExecutionReport");
                assertEquals("fo-1", resent.getString(11));
                assertEquals(newReportSeq, resent.getHeader().getInt(34), "the same seq as first sent");
                assertTrue(c.qfj().getExpectedSenderNum() > sentBefore, "our seq continued: " + c.qfj().getExpectedSenderNum());
                c.send(FixMessages.cancel("fo-2", "fo-1", "300059.SZ", '1'));
                c.expectReport('6', '6', 0, 300);
                c.expectReport('4', '4', 0, 0);
            }
            assertTrue(FixHarness.filesNamed(dir.resolve("another-host"), n -> n.endsWith(".body")).isEmpty(),
                    "no session store among the files of the second process");

            FixHarness.until(() -> {
                quickfix.Session s = quickfix.Session.lookupSession(new quickfix.SessionID("FIX.4.4", "OPENTRADE",
                        "C_dev_failover"));
                return s == null || !s.hasResponder() && !s.isLoggedOn();
            }, 15);
            try (RawFix eve = new RawFix(h.fixPort, "C_dev_failover")) {
                eve.send("A", "98=0|108=30|141=Y|553=" + h.key("dev_eve") + "|554=secret-dev_eve");
                String answer = eve.nextAny();
                assertTrue(answer != null && answer.contains("|35=5|") && RawFix.field(answer, 58)
                        .contains("is another developer's session"), "the name is still dev_failover's: " + answer);
            }

            // Refused Logons under made-up names leave nothing in Redis (each made a session and its store).
            for (int i = 0; i < 5; i++) {
                try (RawFix probe = new RawFix(h.fixPort, "R_probe" + i)) {
                    probe.send("A", "98=0|108=30|553=key_nobody|554=x");
                    assertTrue(probe.closesWithin15s(), "refused");
                }
            }
            FixHarness.until(() -> {
                try {
                    return REDIS.command("KEYS", "*R_probe*").equals("*0");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, 15);
            assertTrue(REDIS.command("KEYS", "*C_dev_failover*").startsWith("*2"), "the live session's store stays: "
                    + REDIS.command("KEYS", "*C_dev_failover*"));
        }
    }

    @Test
    void aReplacedClOrdIdStillNamesTheOrderOnAnotherHost() throws Exception {
        REDIS.flushAll();
        Map<String, String> redis = Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri());
        try (FixHarness h = FixHarness.start(dir, redis)) {
            FixRestartTest.aReplacedClOrdIdStillNamesTheOrderAfter(h, "dev_chain_elsewhere",
                    () -> h.startTrade(Map.of("OPENTRADE_TRADE_DATA_DIR", dir.resolve("another-host").toString())));
        }
    }
}
