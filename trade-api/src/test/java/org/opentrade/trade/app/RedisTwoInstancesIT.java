package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.trade.adapter.redis.RedisIntentStore;
import org.opentrade.trade.adapter.redis.RedisServer;
import org.opentrade.trade.adapter.redis.RedisStoreOptions;
import org.opentrade.trade.adapter.redis.TradeRedis;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.intent.NewOrder;

/**
 * Distributed mode: two trade-api instances (instance ids 1 and 2) on one exchange and one Redis, each
 * taking orders for its own accounts at the same time, the two sides crossing each other. Their
 * exchange order ids carry their instance id and never collide, their intent logs are separate
 * ({@code ot:trade:1:intents}, {@code ot:trade:2:intents}: each holds only its own accounts'
 * intents), and each settles its own side of every cross-instance trade.
 */
class RedisTwoInstancesIT {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();
    private static final String SYMBOL = "601398.SH";
    private static final int ORDERS_PER_ACCOUNT = 10;

    @TempDir
    Path dir;

    @Test
    void twoInstancesOnOneRedisKeepSeparateLogsAndDistinctExchangeOrderIds() throws Exception {
        REDIS.flushAll();
        // Snapshots often: the feed position a durable consumer checkpoints is its latest snapshot's.
        java.nio.file.Files.writeString(dir.resolve("trade-api.yaml"), "store:\n  snapshot_every: 200ms\n");
        try (TradeHarness h = TradeHarness.start(dir, redisEnv(1))) {
            TradeApiService one = h.trade;
            Map<String, String> env2 = new HashMap<>(redisEnv(2));
            env2.put("OPENTRADE_SIMULATOR_ENABLED", "false");
            env2.put("OPENTRADE_TRADE_PORT", "0");
            TradeApiService two = new TradeApiService(TradeApiConfig.load(ConfigLoader.of(env2, Map.of())), null,
                    TradeHarness.TEST_CALLERS, () -> "admin-token-for-tests");
            TradeHarness.await(h.vertx.deployVerticle(two));
            h.until(two::isReady, 60);

            // Instance 2's accounts first buy the shares they will sell, from sim-mm-0's offer (exactly used up).
            TradeRestartScenario.resting(h, 9_100_000_001L, SYMBOL, "SELL", "7.12", 2L * 100 * ORDERS_PER_ACCOUNT);
            for (String dev : List.of("dev_c", "dev_d")) {
                HttpResponse<Buffer> bought = TradeHarness.await(h.client.request(HttpMethod.POST, two.port(), "127.0.0.1",
                        "/v1/orders").putHeader(TradeHarness.TEST_CALLER, dev).sendJsonObject(TradeHarness.limit(
                        dev + "-stock", SYMBOL, "buy", "7.12", 100L * ORDERS_PER_ACCOUNT).put("time_in_force", "ioc")));
                assertEquals(201, bought.statusCode(), bought.bodyAsString());
                filledCompletely(h, two, dev, 1);
            }

            // Both at once: instance 1's accounts buy, instance 2's sell, at the same price.
            List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
            for (int i = 0; i < ORDERS_PER_ACCOUNT; i++) {
                sent.add(place(h, one, "dev_a", "a" + i, "buy"));
                sent.add(place(h, two, "dev_c", "c" + i, "sell"));
                sent.add(place(h, one, "dev_b", "b" + i, "buy"));
                sent.add(place(h, two, "dev_d", "d" + i, "sell"));
            }
            TradeHarness.await(Future.join(sent));
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < sent.size(); i++) {
                HttpResponse<Buffer> r = sent.get(i).result();
                assertEquals(201, r.statusCode(), r.bodyAsString());
                long id = Long.parseLong(r.bodyAsJsonObject().getString("order_id"));
                int instance = i % 4 == 0 || i % 4 == 2 ? 1 : 2;
                assertEquals(instance, ExchangeOrderIds.instanceOf(id), "instance of order id " + id);
                assertTrue(ids.add(id), "order id " + id + " given twice");
            }

            // Every order crosses one of the other instance's: each instance fills its own side completely.
            for (String dev : List.of("dev_a", "dev_b")) {
                filledCompletely(h, one, dev, ORDERS_PER_ACCOUNT);
            }
            for (String dev : List.of("dev_c", "dev_d")) {
                filledCompletely(h, two, dev, ORDERS_PER_ACCOUNT + 1);
            }
            assertEquals(0, h.get("dev_c", "/v1/orders?status=all").bodyAsJsonObject().getJsonArray("items").size(),
                    "instance 1 knows nothing of instance 2's accounts");

            assertOwnLog(1, Set.of("dev_a", "dev_b"));
            assertOwnLog(2, Set.of("dev_c", "dev_d"));

            // Each is its own durable consumer of the feed (one shared name would let the exchange prune
            // events the slower instance still needs). Unregistering answers whether the name was known.
            for (String name : List.of("trade-api-1", "trade-api-2")) {
                h.until(() -> {
                    try {
                        return unregister(h, name);
                    } catch (Exception e) {
                        return false;
                    }
                }, 30);
            }
            assertTrue(!unregister(h, "trade-api"), "an instance checkpointed under the shared name 'trade-api'");
        }
    }

    private static boolean unregister(TradeHarness h, String consumer) throws Exception {
        JsonObject reply = (JsonObject) TradeHarness.await(h.vertx.eventBus().request(
                org.opentrade.exchange.client.ExchangeAddresses.FEED_CONSUMERS,
                new JsonObject().put("op", "unregister").put("consumer", consumer))).body();
        return reply.getBoolean("removed", false);
    }

    private Map<String, String> redisEnv(int instance) {
        return Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri(),
                "OPENTRADE_TRADE_INSTANCE_ID", Integer.toString(instance),
                TradeApiConfig.OVERRIDE_ENV, dir.resolve("trade-api.yaml").toString());
    }

    private static Future<HttpResponse<Buffer>> place(TradeHarness h, TradeApiService at, String dev, String cid, String side) {
        return h.client.request(HttpMethod.POST, at.port(), "127.0.0.1", "/v1/orders")
                .putHeader(TradeHarness.TEST_CALLER, dev)
                .sendJsonObject(TradeHarness.limit(cid, SYMBOL, side, "7.10", 100).put("time_in_force", "gtc"));
    }

    private static JsonArray items(TradeHarness h, TradeApiService at, String dev, String uri) throws Exception {
        return TradeHarness.await(h.client.request(HttpMethod.GET, at.port(), "127.0.0.1", uri)
                .putHeader(TradeHarness.TEST_CALLER, dev).send()).bodyAsJsonObject().getJsonArray("items");
    }

    /** Waits until {@code dev}'s {@code count} orders are all filled, then checks its fills add up. */
    private static void filledCompletely(TradeHarness h, TradeApiService at, String dev, int count) throws Exception {
        h.until(() -> {
            try {
                JsonArray orders = items(h, at, dev, "/v1/orders?status=all&limit=100");
                return orders.size() == count && orders.stream()
                        .allMatch(o -> "filled".equals(((JsonObject) o).getString("status")));
            } catch (Exception e) {
                return false;
            }
        }, 30);
        JsonArray fills = items(h, at, dev, "/v1/fills?limit=100");
        long expected = count > ORDERS_PER_ACCOUNT ? 2 * 100L * ORDERS_PER_ACCOUNT : 100L * ORDERS_PER_ACCOUNT;
        assertEquals(expected, fills.stream().mapToLong(f -> ((JsonObject) f).getLong("qty")).sum(),
                dev + "'s fills: " + fills);
    }

    /** Instance {@code instance}'s intent log in Redis holds only its accounts' intents, its orders carrying its id. */
    private static void assertOwnLog(int instance, Set<String> accounts) {
        try (TradeRedis redis = TradeRedis.connect(RedisStoreOptions.of(REDIS.uri(), instance))) {
            List<Intent> log = new RedisIntentStore(redis).readAll();
            Set<String> seen = new HashSet<>();
            int orders = 0;
            for (Intent i : log) {
                seen.add(i.account());
                if (i instanceof NewOrder n) {
                    orders++;
                    assertEquals(instance, ExchangeOrderIds.instanceOf(n.exchangeId()), "in log " + instance + ": " + n);
                }
            }
            assertEquals(accounts, seen, "accounts in the intent log of instance " + instance);
            assertEquals(instance == 1 ? 2 * ORDERS_PER_ACCOUNT : 2 * ORDERS_PER_ACCOUNT + 2, orders, "new orders in the intent log of instance " + instance);
        }
    }
}
