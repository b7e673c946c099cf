package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.redis.RedisServer;
import org.opentrade.trade.app.TradeStreamRestartTest.Client;

/**
 * A standby trade-api ({@code store.standby: true}) beside the one holding the instance, on the same data
 * directory and Redis (the holder's host) or on another: it serves nothing and writes nothing while the holder
 * runs, takes over when the holder stops, and its clients carry on: every order is there, new ones are taken,
 * and an order stream resumes from its last seq with exactly the frames it missed.
 */
class TradeStandbyIT {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @TempDir
    Path dir;

    private static HttpResponse<Buffer> get(TradeHarness h, TradeApiService service, String uri) throws Exception {
        return TradeHarness.await(h.client.get(service.port(), "127.0.0.1", uri)
                .putHeader(TradeHarness.TEST_CALLER, TradeStreamRestartTest.DEV).send());
    }

    @Test
    void aStandbyTakesOverWhenTheHolderStopsAndAnOrderStreamResumesThereExactly() throws Exception {
        REDIS.flushAll();
        Map<String, String> redis = Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri());
        try (TradeHarness h = TradeHarness.start(dir, redis)) {
            Client first = new Client(h, null, null);
            first.untilPong(); // the (empty) snapshot
            long head = TradeStreamRestartTest.trade(h, "a", 9_300_000_001L);
            List<JsonObject> seen = first.until(head);
            String epoch = first.epoch();
            first.close();
            String intents = REDIS.command("LLEN", "ot:trade:0:intents");

            TradeApiService standby = h.deploySecond(Map.of("OPENTRADE_TRADE_STANDBY", "true"));
            assertEquals(200, get(h, standby, "/health").statusCode(), "a standby is alive");
            HttpResponse<Buffer> ready = get(h, standby, "/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.bodyAsString().contains("standing by"), ready.bodyAsString());
            HttpResponse<Buffer> orders = get(h, standby, "/v1/orders");
            assertEquals(503, orders.statusCode(), "a standby serves no account");
            assertEquals(-9001, orders.bodyAsJsonObject().getInteger("error_no"), orders.bodyAsString());
            assertEquals(201, h.order(TradeStreamRestartTest.DEV, TradeHarness.limit("a-4", "601398.SH", "buy", "7.00", 100))
                    .statusCode(), "the holder trades on");
            assertEquals(intentsAfterOneMore(intents), REDIS.command("LLEN", "ot:trade:0:intents"),
                    "only the holder wrote");

            h.stopTrade(); // the holder goes (its claim given back): the standby takes over
            h.until(standby::isReady, 60);
            h.adopt(standby);
            assertEquals(200, get(h, standby, "/v1/orders/by-client-id/a-4").statusCode(), "orders from before are there");
            try (Client resumed = new Client(h, head - 3, epoch)) {
                assertNotEquals(epoch, resumed.epoch());
                List<JsonObject> missed = resumed.untilPong();
                assertEquals(seen.subList(seen.size() - 3, seen.size()), missed.subList(0, 3),
                        "the frames it missed, exactly, then the new order's");
                assertEquals(head + 1, missed.get(3).getLong("seq"), missed.get(3).encode());
                assertEquals("a-4", missed.get(3).getJsonObject("data").getString("client_order_id"), missed.get(3).encode());
            }
            assertEquals(201, h.order(TradeStreamRestartTest.DEV, TradeHarness.limit("b-1", "601398.SH", "buy", "7.00", 100))
                    .statusCode(), "the standby takes new orders");
        }
    }

    /**
     * The standby on another host: its own data directory, nothing of the holder's but Redis. The order stream
     * journal is in Redis too, so a client of the holder resumes there exactly (before, it got a snapshot
     * flagged {@code resumed: false}: the journal was a file in the holder's data directory).
     */
    @Test
    void aStandbyOnAnotherHostResumesAnOrderStreamExactly() throws Exception {
        REDIS.flushAll();
        Map<String, String> redis = Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri());
        try (TradeHarness h = TradeHarness.start(dir, redis)) {
            Client first = new Client(h, null, null);
            first.untilPong();
            long head = TradeStreamRestartTest.trade(h, "h", 9_300_000_101L);
            List<JsonObject> seen = first.until(head);
            String epoch = first.epoch();
            first.close();

            Path elsewhere = java.nio.file.Files.createDirectories(dir.resolve("another-host"));
            TradeApiService standby = h.deploySecond(Map.of("OPENTRADE_TRADE_STANDBY", "true",
                    "OPENTRADE_TRADE_DATA_DIR", elsewhere.toString()));
            h.stopTrade();
            h.until(standby::isReady, 60);
            h.adopt(standby);
            try (Client resumed = new Client(h, head - 3, epoch)) {
                assertNotEquals(epoch, resumed.epoch());
                List<JsonObject> missed = resumed.untilPong();
                assertEquals(seen.subList(seen.size() - 3, seen.size()), missed,
                        "exactly the frames it missed, no flagged snapshot");
            }
            assertEquals(201, h.order(TradeStreamRestartTest.DEV, TradeHarness.limit("h-9", "601398.SH", "buy", "7.00", 100))
                    .statusCode(), "the standby takes new orders");
        }
    }

    /**
     * A holder that has served past its journal's retention: the trims have dropped the record of its own epoch
     * (written once, at its start), and a client of it still resumes exactly on the standby. Before the trim put
     * that record back at the head, every client of a process older than about five minutes got the flagged
     * snapshot (found in a distributed-mode trial). Snapshots every second and a retention of one second make
     * the trims come at once.
     */
    @Test
    void aClientOfAHolderWhoseJournalWasTrimmedStillResumesExactly() throws Exception {
        REDIS.flushAll();
        Path fast = java.nio.file.Files.writeString(dir.resolve("fast-trims.yaml"),
                "store:\n  snapshot_every: 1s\nstreams:\n  retention_age: 1s\n");
        Map<String, String> redis = Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri(),
                "OPENTRADE_TRADE_CONFIG", fast.toString());
        try (TradeHarness h = TradeHarness.start(dir, redis)) {
            Client first = new Client(h, null, null);
            first.untilPong();
            long head = TradeStreamRestartTest.trade(h, "t", 9_300_000_201L);
            first.until(head);
            String epoch = first.epoch();
            first.close();
            // Until the trims have passed the first records (the holder's generation among them).
            h.until(() -> {
                try { // INCRBY 0 reads the base as an integer reply
                    return Long.parseLong(REDIS.command("INCRBY", "ot:trade:0:stream-journal-base", "0").substring(1)) > 5;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, 30);

            TradeApiService standby = h.deploySecond(Map.of("OPENTRADE_TRADE_STANDBY", "true",
                    "OPENTRADE_TRADE_DATA_DIR", dir.resolve("another-host").toString()));
            h.stopTrade();
            h.until(standby::isReady, 60);
            h.adopt(standby);
            try (Client resumed = new Client(h, head, epoch)) {
                List<JsonObject> after = resumed.untilPong();
                assertTrue(after.stream().noneMatch(f -> "snapshot".equals(f.getString("type"))),
                        "resumed at its seq, no flagged snapshot: " + after);
            }
        }
    }

    /**
     * A standby started while Redis is down, which then comes back (its holder's connection is gone for
     * good, as after a Redis restart): it waits the outage out and takes over once the holder stops.
     */
    @Test
    void aStandbyWaitsOutARedisOutageAndStillTakesOver() throws Exception {
        REDIS.flushAll();
        Map<String, String> redis = Map.of("OPENTRADE_TRADE_STORE", "redis", "OPENTRADE_TRADE_REDIS_URI", REDIS.uri());
        try (TradeHarness h = TradeHarness.start(dir, redis)) {
            assertEquals(201, h.order(TradeStreamRestartTest.DEV, TradeHarness.limit("r-1", "601398.SH", "buy", "7.00", 100))
                    .statusCode());
            REDIS.kill();
            TradeApiService standby;
            try {
                standby = h.deploySecond(Map.of("OPENTRADE_TRADE_STANDBY", "true"));
                Thread.sleep(2 * TradeApiService.STANDBY_RETRY.toMillis()); // a few of its tries fail meanwhile
                assertEquals(200, get(h, standby, "/health").statusCode(), "a standby without Redis is alive");
                assertEquals(503, get(h, standby, "/ready").statusCode());
            } finally {
                REDIS.restart();
            }
            h.stopTrade(); // its claim cannot be given back (its connection died with Redis): it expires
            h.until(standby::isReady, 60);
            h.adopt(standby);
            assertEquals(200, get(h, standby, "/v1/orders/by-client-id/r-1").statusCode(), "the order from before is there");
            assertEquals(201, h.order(TradeStreamRestartTest.DEV, TradeHarness.limit("r-2", "601398.SH", "buy", "7.00", 100))
                    .statusCode(), "the standby takes new orders");
        }
    }

    private static String intentsAfterOneMore(String llen) {
        return ":" + (Long.parseLong(llen.substring(1)) + 1);
    }
}
