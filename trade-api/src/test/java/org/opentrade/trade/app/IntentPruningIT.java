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
 * trade-api's intent log does not grow without end: once the oldest snapshot the store keeps is older than
 * {@code store.intent_retention}, the intents it covers go (Redis trims its list's head at once; the file
 * store drops them when it next opens), the indexes of later ones unchanged, and a restart from the kept
 * snapshots finds every account as it was.
 */
class IntentPruningIT {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @TempDir
    Path dir;

    private Map<String, String> redisEnv() {
        return Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri(),
                "OPENTRADE_TRADE_INTENT_RETENTION", "1ms");
    }

    @Test
    void redisTrimsTheIntentsTheKeptSnapshotsCoverAndARestartFromThemFindsEveryAccountAsItWas() throws Exception {
        REDIS.flushAll();
        String before;
        try (TradeHarness h = TradeHarness.start(dir, redisEnv())) {
            long pruned = placeAndSnapshot(h);
            long last = h.onTrade(() -> h.trade.desk().lastIntentAppended());
            h.until(() -> (":" + pruned).equals(command("INCRBY", "ot:trade:0:intents-base", "0")), 10); // an integer reply
            assertEquals(":" + (last - pruned), command("LLEN", "ot:trade:0:intents"), "the list holds what was not pruned");
            before = TradeRestartScenario.dump(h);
        }
        restartFindsEveryAccount(redisEnv(), before);
    }

    @Test
    void theFileLogDropsThemAtTheNextStartWhichFindsEveryAccountAsItWas() throws Exception {
        Map<String, String> env = Map.of("OPENTRADE_TRADE_INTENT_RETENTION", "1ms");
        Path log = dir.resolve("trade/intents/intents.log");
        String before;
        long pruned;
        long sizeBefore;
        try (TradeHarness h = TradeHarness.start(dir, env)) {
            pruned = placeAndSnapshot(h);
            before = TradeRestartScenario.dump(h);
        }
        sizeBefore = java.nio.file.Files.size(log);
        restartFindsEveryAccount(env, before);
        try (java.io.DataInputStream in = new java.io.DataInputStream(java.nio.file.Files.newInputStream(log))) {
            in.readInt(); // magic
            assertEquals(2, in.readShort(), "a pruned log's header");
            in.readShort();
            assertTrue(in.readLong() > pruned, "its first intent is after the one pruned through, " + pruned);
        }
        assertTrue(java.nio.file.Files.size(log) < sizeBefore, "the log shrank at the start");
    }

    /**
     * Places orders over four periodic snapshots, a few ms apart (older than the 1 ms retention); returns the
     * index pruned through, checked to be above 0 and below the last intent.
     */
    private static long placeAndSnapshot(TradeHarness h) throws Exception {
        for (int round = 1; round <= 4; round++) {
            for (int k = 1; k <= 3; k++) {
                assertEquals(201, h.order("dev_a", TradeHarness.limit("r" + round + "-" + k, "601398.SH", "buy",
                        "7.00", 100)).statusCode());
            }
            snapshot(h);
            long stored = System.currentTimeMillis();
            while (System.currentTimeMillis() < stored + 2) {
                Thread.onSpinWait(); // the next snapshot at least 2 ms later: this one is past the 1 ms retention
            }
        }
        h.until(() -> metric(h, "trade_intents_pruned_through") > 0, 10);
        long pruned = metric(h, "trade_intents_pruned_through");
        long last = h.onTrade(() -> h.trade.desk().lastIntentAppended());
        assertTrue(pruned < last, "the newest snapshots' intents stay: " + pruned + " of " + last);
        return pruned;
    }

    private void restartFindsEveryAccount(Map<String, String> env, String before) throws Exception {
        try (TradeHarness h = TradeHarness.start(dir, env)) {
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
