package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.redis.RedisServer;

/**
 * {@link TradeRestartScenario} with {@code store.backend: redis} on a real redis-server (append-only,
 * appendfsync always): intents and snapshots live in Redis only, under {@code ot:trade:0:}; losing
 * the snapshots is deleting their keys.
 */
class RedisTradeRestartIT extends TradeRestartScenario {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    /** Deletes every key matching ARGV[1]; answers how many. */
    static final String DELETE_MATCHING = "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do"
            + " redis.call('DEL', k) n = n + 1 end return n";

    @TempDir
    Path dir;

    @Override
    TradeHarness start() throws Exception {
        REDIS.flushAll();
        return TradeHarness.start(dir, Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri()));
    }

    @Override
    void assertStoredWhereConfigured() throws Exception {
        assertFalse(Files.exists(dir.resolve("trade/intents")), "the file store was used");
        String intents = REDIS.command("LLEN", "ot:trade:0:intents");
        assertTrue(intents.startsWith(":") && Long.parseLong(intents.substring(1)) >= 8,
                "intents in redis: " + intents); // 3 accounts opened, 5 orders, a reset, a kill switch
    }

    @Override
    void dropSnapshots() throws Exception {
        assertTrue(REDIS.command("ZCARD", "ot:trade:0:snapshots").matches(":[1-9][0-9]*"),
                "the clean stop wrote no snapshot to redis");
        REDIS.command("EVAL", DELETE_MATCHING, "0", "ot:trade:0:snapshot*");
        assertEquals(":0", REDIS.command("ZCARD", "ot:trade:0:snapshots"));
    }
}
