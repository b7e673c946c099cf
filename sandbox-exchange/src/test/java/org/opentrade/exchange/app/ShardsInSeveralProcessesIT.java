package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.client.CommandCodecs;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.client.Shards;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * One exchange of two shards run by two exchange services, each with its own journal and
 * {@code owned_shards}, on one Vert.x: every request-reply address answers for every shard whichever
 * service takes the request (the bus spreads requests over both), which is the same forwarding a
 * clustered bus does between processes (the launcher's distributed test runs it across JVMs).
 */
class ShardsInSeveralProcessesIT {
    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        FeedBatchCodec.register(vertx);
        CommandCodecs.register(vertx);
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ExchangeConfig config(Path dataDir, int shards, String owned) {
        return ExchangeConfig.load(ConfigLoader.of(DayEnds.awayFromNow(Map.of("OPENTRADE_EXCHANGE_DATA_DIR",
                dataDir.toString(), "OPENTRADE_EXCHANGE_FSYNC", "none", "OPENTRADE_SIMULATOR_ENABLED", "false",
                "OPENTRADE_EXCHANGE_SHARDS", String.valueOf(shards), "OPENTRADE_EXCHANGE_OWNED_SHARDS", owned)),
                Map.of()));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private JsonObject ask(String address, JsonObject body) throws Exception {
        return await(vertx.eventBus().<JsonObject>request(address, body)).body();
    }

    private static JsonObject order(long id, String symbol, String price) {
        return new JsonObject().put("type", "NEW_ORDER").put("order_id", id).put("account", "alice")
                .put("symbol", symbol).put("side", "BUY").put("price", price).put("qty", 100);
    }

    @Test
    void eachServiceAnswersForEveryShardAndRefusesWhatItCannotReach(@TempDir Path dir) throws Exception {
        ExchangeService first = new ExchangeService(config(dir.resolve("a"), 2, "0"));
        ExchangeService second = new ExchangeService(config(dir.resolve("b"), 2, "1"));
        await(vertx.deployVerticle(first));
        String secondId = await(vertx.deployVerticle(second));

        JsonArray instruments = ask(ExchangeAddresses.INSTRUMENTS, new JsonObject()).getJsonArray("instruments");
        String[] symbol = new String[2];
        String[] price = new String[2];
        for (Object o : instruments) {
            JsonObject i = (JsonObject) o;
            int shard = Shards.of(i.getString("symbol"), 2);
            if (symbol[shard] == null) {
                symbol[shard] = i.getString("symbol");
                price[shard] = i.getString("prev_close");
            }
        }
        assertTrue(symbol[0] != null && symbol[1] != null, "the universe has symbols on both shards");

        List<List<ExchangeEvent>> live = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        for (int shard = 0; shard < 2; shard++) {
            int s = shard;
            await(vertx.eventBus().<FeedBatch>consumer(ExchangeAddresses.feed(shard),
                    m -> live.get(s).addAll(m.body().events())).completion());
        }

        // commands for both shards, each answered whichever service the bus hands it to
        for (int i = 1; i <= 20; i++) {
            JsonObject reply = ask(ExchangeAddresses.COMMANDS, order(i, symbol[i % 2], price[i % 2]));
            assertEquals(0, reply.getInteger("code"), reply.encode());
            assertEquals(symbol[i % 2], reply.getJsonArray("events").getJsonObject(0).getString("symbol"));
        }
        // the local bus's object form too: answered with the result object
        for (int i = 21; i <= 22; i++) {
            Command c = Command.limit(i, "alice", symbol[i % 2], Side.BUY, TimeInForce.GTC, Price.parse(price[i % 2]),
                    100, 0);
            Object reply = await(vertx.eventBus().request(ExchangeAddresses.COMMANDS, c,
                    new DeliveryOptions().setCodecName(CommandCodecs.COMMAND))).body();
            assertInstanceOf(CommandResult.class, reply);
            assertEquals(ResultCode.OK, ((CommandResult) reply).code(), reply.toString());
        }
        assertEquals(11, first.metrics().liveOrders(), "shard 0's orders rest in the first service only");
        assertEquals(11, second.metrics().liveOrders(), "shard 1's orders rest in the second service only");

        // feed info: both shards' heads, from either service
        for (int i = 0; i < 4; i++) {
            JsonObject info = ask(ExchangeAddresses.FEED_INFO, new JsonObject());
            assertEquals(2, info.getInteger("shards"), info.encode());
            assertEquals(first.metrics().headSeqs()[0], info.getJsonArray("head_seq").getLong(0), info.encode());
            assertEquals(second.metrics().headSeqs()[1], info.getJsonArray("head_seq").getLong(1), info.encode());
        }
        assertEquals(-1, first.metrics().headSeqs()[1], "a service reports only the shards it runs");

        for (int i = 0; i < 4; i++) {
            // an account's orders: one entry per shard, from both services
            JsonArray accounts = ask(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("account", "alice"))
                    .getJsonArray("accounts");
            assertEquals(2, accounts.size(), accounts.encode());
            for (int shard = 0; shard < 2; shard++) {
                JsonObject entry = accounts.getJsonObject(shard);
                assertEquals(shard, entry.getInteger("shard"));
                assertEquals(11, entry.getJsonArray("orders").size(), entry.encode());
            }
            // a shard's books and a symbol's book, wherever they run
            JsonObject books = ask(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("shard", 1));
            assertEquals(0, books.getInteger("code"), books.encode());
            assertEquals(1, books.getInteger("shard"));
            assertTrue(books.getJsonArray("snapshots").stream()
                    .anyMatch(b -> symbol[1].equals(((JsonObject) b).getString("symbol"))), books.encode());
            JsonObject book = ask(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("symbol", symbol[0]));
            assertEquals(0, book.getInteger("code"), book.encode());
            assertEquals(symbol[0], book.getJsonObject("snapshot").getString("symbol"));
        }

        // replay of each shard equals what its live feed carried
        for (int shard = 0; shard < 2; shard++) {
            for (int i = 0; i < 2; i++) {
                FeedBatch replay = await(vertx.eventBus().<FeedBatch>request(ExchangeAddresses.FEED_REPLAY,
                        new JsonObject().put("shard", shard).put("after_seq", 0))).body();
                assertTrue(replay.isOk(), replay.toString());
                assertEquals(live.get(shard), replay.events(), "shard " + shard);
            }
        }

        // durable consumers: a checkpoint reaches the shard's owner; unregister reaches every owner
        for (int shard = 0; shard < 2; shard++) {
            for (int i = 0; i < 2; i++) {
                JsonObject cp = ask(ExchangeAddresses.FEED_CONSUMERS, new JsonObject().put("op", "checkpoint")
                        .put("consumer", "tool").put("shard", shard).put("seq", 1));
                assertEquals(0, cp.getInteger("code"), cp.encode());
            }
        }
        JsonObject unregistered = ask(ExchangeAddresses.FEED_CONSUMERS, new JsonObject().put("op", "unregister")
                .put("consumer", "tool"));
        assertTrue(unregistered.getBoolean("removed"), unregistered.encode());
        JsonObject again = ask(ExchangeAddresses.FEED_CONSUMERS, new JsonObject().put("op", "unregister")
                .put("consumer", "tool"));
        assertFalse(again.getBoolean("removed"), "gone from both services: " + again.encode());

        // a third service claiming a running shard refuses to start
        ExecutionException claimed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(vertx.deployVerticle(new ExchangeService(config(dir.resolve("c"), 2, "1")))));
        assertTrue(claimed.getCause().getMessage().contains("shard 1 already runs"), claimed.getCause().getMessage());

        // a process configured with another shard count is refused by the owner, not served
        JsonObject mismatch = await(vertx.eventBus().<JsonObject>request(
                ExchangeAddresses.onShard(ExchangeAddresses.COMMANDS, 1), order(99, symbol[1], price[1]),
                new DeliveryOptions().addHeader("opentrade-shards", "3"))).body();
        assertEquals(ResultCode.ENGINE_UNAVAILABLE.code(), mismatch.getInteger("code"), mismatch.encode());
        assertTrue(mismatch.getString("message").contains("disagree on the shard count"), mismatch.encode());
        assertEquals(11, second.metrics().liveOrders());

        // the second service gone: its shard is refused by name, the other shard still trades
        await(vertx.undeploy(secondId));
        JsonObject refused = ask(ExchangeAddresses.COMMANDS, order(100, symbol[1], price[1]));
        assertEquals(ResultCode.ENGINE_UNAVAILABLE.code(), refused.getInteger("code"), refused.encode());
        assertTrue(refused.getString("message").contains("exchange shard 1 is not reachable"), refused.encode());
        JsonObject info = ask(ExchangeAddresses.FEED_INFO, new JsonObject());
        assertEquals(ResultCode.ENGINE_UNAVAILABLE.code(), info.getInteger("code"), info.encode());
        JsonObject stillTrades = ask(ExchangeAddresses.COMMANDS, order(101, symbol[0], price[0]));
        assertEquals(0, stillTrades.getInteger("code"), stillTrades.encode());
        FeedBatch replayGone = await(vertx.eventBus().<FeedBatch>request(ExchangeAddresses.FEED_REPLAY,
                new JsonObject().put("shard", 1).put("after_seq", 0))).body();
        assertEquals(ResultCode.ENGINE_UNAVAILABLE, replayGone.code(), replayGone.toString());
        assertNotEquals(null, replayGone.message());
    }

    @Test
    void ownedShardsAreValidated(@TempDir Path dir) {
        assertTrue(config(dir, 2, "0,1").ownedShards().isEmpty(), "every shard named is all of them");
        assertEquals(List.of(0, 2), config(dir, 3, "2, 0").ownedShards());
        for (String bad : new String[] {"2", "1,1", "x", "-1"}) {
            org.opentrade.common.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.opentrade.common.config.ConfigException.class, () -> config(dir, 2, bad), bad);
            assertTrue(e.getMessage().contains("exchange.owned_shards"), e.getMessage());
        }
        List<Integer> none = new ArrayList<>(config(dir, 2, "").ownedShards());
        assertTrue(none.isEmpty());
    }
}
