package org.opentrade.exchange.adapter.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * The feed's request-reply addresses on a real (local) event bus: replays equal the live feed, every
 * malformed request gets an error reply and the endpoint keeps serving, snapshots and checkpoints
 * answer in the documented shapes.
 */
class FeedEndpointTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final InstrumentCatalog CATALOG = new InstrumentCatalog(List.of(
            Instrument.aShare("600000.SH", "PF Bank", 1000),
            Instrument.aShare("000001.SZ", "Ping An Bank", 1200),
            Instrument.aShare("300750.SZ", "CATL", 20000),
            Instrument.aShare("688981.SH", "SMIC", 9000)));

    @TempDir
    Path dir;
    private Vertx vertx;
    private ShardedExchange exchange;
    private EventBusPublisher publisher;
    private Context publishing;
    private final List<FeedBatch> live = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        FeedBatchCodec.register(vertx);
        publishing = vertx.getOrCreateContext();
        publisher = new EventBusPublisher(vertx.eventBus(), publishing, 2, false);
        vertx.eventBus().<FeedBatch>consumer(ExchangeAddresses.feed(0), m -> live.add(m.body()))
                .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        exchange = ShardedExchange.start(ShardedExchangeOptions.defaults(CATALOG,
                        new ContinuousCalendar(ZoneOffset.UTC, LocalTime.of(12, 0)))
                .withJournal(dir, FsyncPolicy.NONE).withShards(2), publisher);
        await(FeedEndpoint.register(vertx, exchange));
        await(SnapshotEndpoint.register(vertx, exchange));
    }

    @AfterEach
    void stop() throws Exception {
        exchange.close();
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T ask(String address, Object body) throws Exception {
        return await(vertx.eventBus().<T>request(address, body)).body();
    }

    /** Orders on every symbol, so both shards have events; a few of them trade. */
    private void trade(int n) {
        String[] symbols = {"600000.SH", "000001.SZ", "300750.SZ", "688981.SH"};
        long[] prices = {1000, 1200, 20000, 9000};
        for (int i = 1; i <= n; i++) {
            int s = i % symbols.length;
            exchange.submit(Command.limit(i, "acct-" + (i % 3), symbols[s], i % 2 == 0 ? Side.BUY : Side.SELL,
                    TimeInForce.GTC, prices[s] + (i % 5) - 2, 100, T0 + i)).toCompletableFuture().join();
        }
    }

    @Test
    void replayPagesOverTheBusEqualWhatWasPublishedLive() throws Exception {
        trade(400);
        long head = exchange.headSeq(0);
        List<ExchangeEvent> replayed = new ArrayList<>();
        long after = 0;
        while (after < head) {
            FeedBatch page = ask(ExchangeAddresses.FEED_REPLAY,
                    new JsonObject().put("shard", 0).put("after_seq", after).put("max_events", 50));
            assertEquals(ResultCode.OK, page.code(), page.message());
            assertTrue(page.events().size() <= 50);
            replayed.addAll(page.events());
            after = page.lastSeq();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (live.stream().mapToLong(FeedBatch::lastSeq).max().orElse(0) < head && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the live batches are published on the bus's context
        }
        List<ExchangeEvent> published = new ArrayList<>();
        live.forEach(b -> published.addAll(b.events()));
        assertEquals(published, replayed);
        assertEquals(head, replayed.size());
    }

    @Test
    void everyMalformedReplayRequestGetsAnErrorReplyAndTheEndpointKeepsServing() throws Exception {
        trade(20);
        List<Object> bad = List.of("not json", "[1,2]", new JsonObject(),
                new JsonObject().put("shard", "0").put("after_seq", 0),
                new JsonObject().put("shard", 7).put("after_seq", 0),
                new JsonObject().put("shard", 0).put("after_seq", -1),
                new JsonObject().put("shard", 0).put("after_seq", 1.5),
                new JsonObject().put("shard", 0).put("after_seq", 0).put("max_events", 0),
                new JsonObject().put("shard", 0).put("after_seq", 0).put("max_events", 10_001),
                new JsonObject().put("shard", 0).put("after_seq", exchange.headSeq(0) + 1));
        for (Object body : bad) {
            FeedBatch reply = ask(ExchangeAddresses.FEED_REPLAY, body);
            assertEquals(ResultCode.BAD_FEED_REQUEST, reply.code(), String.valueOf(body));
            assertTrue(reply.message() != null && !reply.message().isBlank());
            assertTrue(reply.events().isEmpty());
        }
        FeedBatch ok = ask(ExchangeAddresses.FEED_REPLAY, new JsonObject().put("shard", 0).put("after_seq", 0));
        assertEquals(ResultCode.OK, ok.code());
        assertEquals(1, ok.firstSeq());
    }

    @Test
    void checkpointsRegisterValidateAndUnregister() throws Exception {
        trade(20);
        JsonObject ok = ask(ExchangeAddresses.FEED_CONSUMERS, new JsonObject().put("op", "checkpoint")
                .put("consumer", "market-api").put("shard", 1).put("seq", 3));
        assertEquals(0, ok.getInteger("code"));
        assertEquals(3L, exchange.consumerCheckpoints().get(1).get("market-api"));
        for (JsonObject bad : List.of(new JsonObject().put("op", "checkpoint").put("consumer", "a b").put("shard", 0)
                        .put("seq", 1),
                new JsonObject().put("op", "checkpoint").put("consumer", "x").put("shard", 0)
                        .put("seq", exchange.headSeq(0) + 1),
                new JsonObject().put("op", "checkpoint").put("consumer", "x").put("shard", 9).put("seq", 1),
                new JsonObject().put("op", "explode").put("consumer", "x"),
                new JsonObject().put("consumer", "x".repeat(65)))) {
            JsonObject reply = ask(ExchangeAddresses.FEED_CONSUMERS, bad);
            assertEquals(ResultCode.BAD_FEED_REQUEST.code(), reply.getInteger("code"), bad.encode());
        }
        JsonObject gone = ask(ExchangeAddresses.FEED_CONSUMERS, new JsonObject().put("op", "unregister")
                .put("consumer", "market-api"));
        assertEquals(true, gone.getBoolean("removed"));
        assertTrue(exchange.consumerCheckpoints().get(1).isEmpty());
    }

    /**
     * A per-shard address names its process: a replay or checkpoint there about a shard the process does not run is
     * refused (found in review: the checkpoint's answer dereferenced the missing shard and no reply came).
     */
    @Test
    void aPerShardAddressRefusesRequestsAboutAShardItsProcessDoesNotRun(@TempDir Path other) throws Exception {
        ShardedExchange half = ShardedExchange.start(ShardedExchangeOptions.defaults(CATALOG,
                        new ContinuousCalendar(ZoneOffset.UTC, LocalTime.of(12, 0)))
                .withJournal(other, FsyncPolicy.NONE).withShards(2), (shard, batch) -> { }, java.util.Set.of(0));
        Vertx own = Vertx.vertx();
        try {
            FeedBatchCodec.register(own);
            FeedEndpoint.register(own, half).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            JsonObject checkpoint = await(own.eventBus().<JsonObject>request(
                    ExchangeAddresses.onShard(ExchangeAddresses.FEED_CONSUMERS, 0),
                    new JsonObject().put("op", "checkpoint").put("consumer", "x").put("shard", 1).put("seq", 0))).body();
            assertEquals(ResultCode.BAD_FEED_REQUEST.code(), checkpoint.getInteger("code"), checkpoint.encode());
            FeedBatch replay = await(own.eventBus().<FeedBatch>request(
                    ExchangeAddresses.onShard(ExchangeAddresses.FEED_REPLAY, 0),
                    new JsonObject().put("shard", 1).put("after_seq", 0))).body();
            assertEquals(ResultCode.BAD_FEED_REQUEST, replay.code());
        } finally {
            half.close();
            await(own.close());
        }
    }

    @Test
    void infoNamesEveryShardsHeadAndOldestKeptEvent() throws Exception {
        trade(20);
        JsonObject info = ask(ExchangeAddresses.FEED_INFO, new JsonObject());
        assertEquals(2, info.getInteger("shards"));
        assertEquals(new JsonArray().add(exchange.headSeq(0)).add(exchange.headSeq(1)), info.getJsonArray("head_seq"));
        assertEquals(new JsonArray().add(1L).add(1L), info.getJsonArray("first_kept_seq"));
    }

    @Test
    void snapshotsAnswerPerSymbolPerShardAndPerAccount() throws Exception {
        trade(40);
        JsonObject one = ask(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("symbol", "600000.SH")
                .put("orders", true));
        assertEquals(0, one.getInteger("code"));
        JsonObject book = one.getJsonObject("snapshot");
        assertEquals("600000.SH", book.getString("symbol"));
        assertTrue(!book.getJsonArray("bids").isEmpty() || !book.getJsonArray("asks").isEmpty());
        assertTrue(book.containsKey("orders"));

        int shard = ShardedExchange.shardOf("600000.SH", 2);
        JsonObject all = ask(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("shard", shard));
        assertEquals(0, all.getInteger("code"));
        assertEquals(exchange.headSeq(shard), all.getLong("seq"));
        JsonArray books = all.getJsonArray("snapshots");
        assertTrue(books.stream().map(o -> ((JsonObject) o).getString("symbol")).toList().contains("600000.SH"));
        books.forEach(o -> assertEquals(all.getLong("seq"), ((JsonObject) o).getLong("seq"), "one sequence"));

        JsonObject acct = ask(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("account", "acct-1"));
        assertEquals(0, acct.getInteger("code"));
        JsonArray perShard = acct.getJsonArray("accounts");
        assertEquals(2, perShard.size());
        long orders = perShard.stream().mapToLong(o -> ((JsonObject) o).getJsonArray("orders").size()).sum();
        assertTrue(orders > 0, "acct-1 has live orders");

        JsonObject unknown = ask(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("symbol", "999999.SH"));
        assertEquals(ResultCode.UNKNOWN_SYMBOL.code(), unknown.getInteger("code"));
        for (Object bad : List.of("nope", new JsonObject(), new JsonObject().put("symbol", "600000.SH").put("shard", 0),
                new JsonObject().put("symbol", "600000.SH").put("orders", "yes"),
                new JsonObject().put("symbol", "<script>"), new JsonObject().put("shard", 5),
                new JsonObject().put("account", "a".repeat(300)), new JsonObject().putNull("account").put("x", 1))) {
            JsonObject reply = ask(ExchangeAddresses.FEED_SNAPSHOT, bad);
            assertEquals(ResultCode.BAD_FEED_REQUEST.code(), reply.getInteger("code"), String.valueOf(bad));
        }
    }

    @Test
    void aHeartbeatTellsHowFarTheShardHasGot() throws Exception {
        trade(10);
        long head = exchange.headSeq(0);
        publishing.runOnContext(v -> publisher.heartbeat(new long[] {1, 1}));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (live.stream().noneMatch(b -> b.events().isEmpty()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        FeedBatch beat = live.stream().filter(b -> b.events().isEmpty()).findFirst().orElseThrow();
        assertEquals(head, beat.headSeq());
        assertEquals(0, beat.shard());
    }
}
