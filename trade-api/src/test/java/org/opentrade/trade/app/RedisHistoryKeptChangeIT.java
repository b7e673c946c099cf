package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.trade.adapter.redis.RedisServer;

/**
 * {@link HistoryKeptChangeScenario} with {@code store.backend: redis} on a real redis-server: the intents and
 * snapshots the changed bound is applied to live in Redis only; losing the snapshots is deleting their keys.
 */
class RedisHistoryKeptChangeIT extends HistoryKeptChangeScenario {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @Override
    Map<String, String> storeEnv() throws Exception {
        REDIS.flushAll();
        return Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri());
    }

    @Override
    void dropSnapshots() throws Exception {
        assertTrue(REDIS.command("ZCARD", "ot:trade:0:snapshots").matches(":[1-9][0-9]*"),
                "the clean stop wrote no snapshot to redis");
        REDIS.command("EVAL", RedisTradeRestartIT.DELETE_MATCHING, "0", "ot:trade:0:snapshot*");
        assertEquals(":0", REDIS.command("ZCARD", "ot:trade:0:snapshots"));
    }
}
