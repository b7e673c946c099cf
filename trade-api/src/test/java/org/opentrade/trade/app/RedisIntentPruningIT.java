package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.redis.RedisServer;

/**
 * In Redis, trade-api's intent list does not grow without end: once the oldest snapshot the store keeps is
 * older than {@code redis.intent_retention}, the intents it covers are trimmed off the list's head (the
 * indexes of later ones unchanged), and a restart from the kept snapshots finds every account as it was.
 */
class RedisIntentPruningIT {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri(),
                "OPENTRADE_TRADE_REDIS_INTENT_RETENTION", "1ms");
    }

    @Test
    void intentsTheKeptSnapshotsCoverLeaveRedisAndARestartFromThemFindsEveryAccountAsItWas() throws Exception {
        REDIS.flushAll();
        String before;
        long pruned;
        try (TradeHarness h = TradeHarness.start(dir, env())) {
            for (int round = 1; round <= 4; round++) {
                for (int k = 1; k <= 3; k++) {
                    assertEquals(201, h.order("dev_a", TradeHarness.limit("r" + round + "-" + k, "601398.SH", "buy",
                            "7.00", 100)).statusCode());
                }
                snapshot(h);
                Thread.sleep(3); // the next snapshot a few ms later: older than the 1 ms retention
            }
            pruned = metric(h, "trade_intents_pruned_through");
            assertTrue(pruned > 0, "nothing pruned: " + h.trade.metrics());
            long last = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            assertTrue(pruned < last, "the newest snapshots' intents stay: " + pruned + " of " + last);
            h.until(() -> (":" + pruned).equals(command("INCRBY", "ot:trade:0:intents-base", "0")), 10); // read as an integer reply
            assertEquals(":" + (last - pruned), command("LLEN", "ot:trade:0:intents"), "the list holds what was not pruned");
            before = TradeRestartScenario.dump(h);
        }
        try (TradeHarness h = TradeHarness.start(dir, env())) {
            assertEquals(before, TradeRestartScenario.dump(h), "every account after a restart from the kept snapshots");
            HttpResponse<Buffer> retry = h.order("dev_a", TradeHarness.limit("r1-1", "601398.SH", "buy", "7.00", 100));
            assertEquals(200, retry.statusCode(), "a retry of a pruned intent's order finds it: " + retry.bodyAsString());
            assertEquals(201, h.order("dev_a", TradeHarness.limit("after", "601398.SH", "buy", "7.00", 100)).statusCode());
        }
    }

    /** Takes a periodic snapshot now and waits until it is stored. */
    private static void snapshot(TradeHarness h) throws Exception {
        long index = h.onTrade(() -> {
            h.trade.snapshot();
            return h.trade.desk().lastIntentAppended();
        });
        h.until(() -> metric(h, "trade_snapshot_intent_index") == index, 10);
    }

    private static long metric(TradeHarness h, String name) {
        Matcher m = Pattern.compile("\n" + name + " ([0-9]+)\n").matcher(h.trade.metrics());
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + h.trade.metrics());
        }
        return Long.parseLong(m.group(1));
    }

    private static String command(String... args) {
        try {
            return REDIS.command(args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
