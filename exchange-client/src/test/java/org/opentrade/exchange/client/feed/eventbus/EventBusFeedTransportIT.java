package org.opentrade.exchange.client.feed.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.feed.FeedConsumer;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.FeedHandler;
import org.opentrade.exchange.client.feed.FeedInfo;
import org.opentrade.exchange.client.feed.FeedRequestRefusedException;
import org.opentrade.exchange.client.feed.ShardState;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookLevel;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.OrderView;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.ShardSnapshot;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * The event-bus adapter against a real Vert.x event bus and a fake exchange on the documented
 * addresses: request bodies, reply shapes, refusals, timeouts, the codec, and a whole consumer.
 */
class EventBusFeedTransportIT {
    private static final long WAIT = 10;

    private Vertx vertx;
    private FakeFeedServer server;
    private Context context;
    private EventBusFeedTransport transport;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = new FakeFeedServer(vertx, 2);
        server.start().toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        context = vertx.getOrCreateContext();
        transport = new EventBusFeedTransport(vertx, context, 2000);
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    }

    /** Calls the transport on its context, as the consumer does, and checks the reply comes back there. */
    private <T> T call(Supplier<CompletionStage<T>> request) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            Thread loop = Thread.currentThread();
            request.get().whenComplete((value, error) -> {
                if (Thread.currentThread() != loop) {
                    result.completeExceptionally(new AssertionError("completed on " + Thread.currentThread()));
                } else if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        });
        return result.get(WAIT, TimeUnit.SECONDS);
    }

    private Throwable failureOf(Supplier<CompletionStage<?>> request) {
        return assertThrows(ExecutionException.class, () -> call(request::get)).getCause();
    }

    @Test
    void infoAsksWithAnEmptyObjectAndReadsHeadsAndFirstKeptSequences() throws Exception {
        server.append(0, 3, true);
        server.append(1, 5, true);
        FeedInfo info = call(transport::info);
        assertEquals(new FeedInfo(2, List.of(3L, 5L), List.of(1L, 1L)), info);
        assertEquals(new JsonObject(), server.requests.get(0));
    }

    @Test
    void replaySendsShardAfterSeqAndMaxEventsAndGetsTheBatchObjectBack() throws Exception {
        server.append(1, 10, true);
        FeedBatch page = call(() -> transport.replay(1, 4, 3));
        assertEquals(new JsonObject().put("shard", 1).put("after_seq", 4L).put("max_events", 3),
                server.requests.get(0));
        assertEquals(List.of(5L, 6L, 7L), page.events().stream().map(ExchangeEvent::seq).toList());
        assertEquals(10, page.headSeq());
    }

    @Test
    void replayRefusalsComeBackAsBatchesWithTheirCode() throws Exception {
        server.append(0, 10, true);
        server.firstKept = 6;
        FeedBatch pruned = call(() -> transport.replay(0, 2, 100));
        assertEquals(ResultCode.EVENTS_NOT_RETAINED, pruned.code());
        assertEquals(6, pruned.firstKeptSeq());

        FeedBatch bad = call(() -> transport.replay(7, 0, 100));
        assertEquals(ResultCode.BAD_FEED_REQUEST, bad.code());

        FeedBatch failed = call(() -> transport.replay(0, 0, 20_000)); // the exchange answers with message.fail
        assertEquals(ResultCode.BAD_FEED_REQUEST, failed.code());
        assertEquals("max_events must be at most 10000", failed.message());

        assertEquals(ResultCode.BAD_FEED_REQUEST,
                FeedMessages.replayFailure(0, new ReplyException(ReplyFailure.RECIPIENT_FAILURE, -5011, "x")).code());
        assertNull(FeedMessages.replayFailure(0, new ReplyException(ReplyFailure.TIMEOUT, -1, "x")));
        assertEquals(ResultCode.EVENTS_NOT_RETAINED,
                FeedMessages.replayReply(0, new JsonObject().put("code", -5010).put("message", "pruned")).code());
    }

    @Test
    void snapshotRequestsHaveTheirThreeShapesAndRepliesAreRead() throws Exception {
        OrderView bid = new OrderView(17, "alice", "600000.SH", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1001, 0,
                100, 0, 100, 5);
        server.book = new BookSnapshot(0, 9, "600000.SH", List.of(new BookLevel(1001, 100, 1)), List.of(),
                List.of(bid), List.of(), 1001, 1000, 1001, 1001, 1001, 100, 100_100, 1, 5, 1);
        server.account = new AccountSnapshot(0, 9, "alice", List.of(bid));

        assertEquals(new ShardSnapshot(0, 9, List.of(server.book)), call(() -> transport.shardSnapshot(0, true)));
        assertEquals(server.book, call(() -> transport.bookSnapshot("600000.SH", false)));
        assertEquals(List.of(server.account), call(() -> transport.accountSnapshot("alice")));
        assertEquals(List.of(new JsonObject().put("shard", 0).put("orders", true),
                new JsonObject().put("symbol", "600000.SH").put("orders", false),
                new JsonObject().put("account", "alice")), server.requests);
    }

    @Test
    void aShardWithoutSymbolsStillSaysWhereToContinue() throws Exception {
        server.book = null;
        server.logs.get(1).addAll(List.of(FakeFeedServer.event(1, 1), FakeFeedServer.event(1, 2),
                FakeFeedServer.event(1, 3)));
        assertEquals(new ShardSnapshot(1, 3, List.of()), call(() -> transport.shardSnapshot(1, true)));
    }

    @Test
    void aShardSnapshotReplyOfAnOlderExchangeIsReadFromItsBooks() {
        BookSnapshot book = new BookSnapshot(1, 42, "600000.SH", List.of(), List.of(), List.of(), List.of(), 0, 1000,
                0, 0, 0, 0, 0, 0, 5, 0);
        JsonObject older = new JsonObject().put("code", 0).put("snapshots",
                new io.vertx.core.json.JsonArray().add(org.opentrade.exchange.client.ExchangeJson.toJson(book)));
        assertEquals(new ShardSnapshot(1, 42, List.of(book)), FeedMessages.shardSnapshotReply(older));
        // Without books such a reply says nothing of where to continue: unreadable, so the consumer asks again.
        assertThrows(IllegalArgumentException.class, () -> FeedMessages.shardSnapshotReply(
                new JsonObject().put("code", 0).put("snapshots", new io.vertx.core.json.JsonArray())));
    }

    @Test
    void refusedSnapshotFailsWithItsCodeAndAnUnreadableReplyFailsClearly() {
        Throwable refused = failureOf(() -> transport.accountSnapshot(null));
        assertInstanceOf(FeedRequestRefusedException.class, refused);
        assertEquals(ResultCode.BAD_FEED_REQUEST, ((FeedRequestRefusedException) refused).code());

        server.book = null;
        Throwable unreadable = failureOf(() -> transport.bookSnapshot("X", true));
        assertTrue(unreadable.getMessage().contains("book snapshot reply: snapshot"), unreadable.getMessage());
    }

    @Test
    void checkpointSendsTheDocumentedOperation() throws Exception {
        assertNull(call(() -> transport.checkpoint("market-api", 1, 1234)));
        assertEquals(new JsonObject().put("op", "checkpoint").put("consumer", "market-api").put("shard", 1)
                .put("seq", 1234L), server.requests.get(0));
    }

    @Test
    void unansweredRequestTimesOutAndMissingEndpointFails() throws Exception {
        Vertx other = Vertx.vertx();
        try {
            EventBusFeedTransport silent = new EventBusFeedTransport(other, other.getOrCreateContext(), 100);
            other.eventBus().consumer(ExchangeAddresses.FEED_INFO, m -> { }).completion()
                    .toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
            ExecutionException timeout = assertThrows(ExecutionException.class,
                    () -> silent.info().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
            assertEquals(ReplyFailure.TIMEOUT, ((ReplyException) timeout.getCause()).failureType());
            ExecutionException missing = assertThrows(ExecutionException.class,
                    () -> silent.replay(0, 0, 10).toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
            assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) missing.getCause()).failureType());
        } finally {
            other.close().toCompletionStage().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        }
    }

    @Test
    void liveBatchesArriveAsTheSameInstanceOrFromJson() throws Exception {
        List<FeedBatch> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> two = new CompletableFuture<>();
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        context.runOnContext(v -> {
            transport.subscribe(0, b -> {
                received.add(b);
                if (received.size() == 2) {
                    two.complete(null);
                }
            });
            subscribed.complete(null);
        });
        subscribed.get(WAIT, TimeUnit.SECONDS);
        FeedBatch sent = server.append(0, 2, false);
        FeedBatch more = server.append(0, 1, true);
        vertx.eventBus().publish(ExchangeAddresses.feed(0), "not a batch");
        vertx.eventBus().publish(ExchangeAddresses.feed(0), ExchangeJson.toJson(more));
        two.get(WAIT, TimeUnit.SECONDS);
        assertSame(sent, received.get(0));
        assertEquals(more, received.get(1));
    }

    @Test
    void consumerOnTheEventBusDeliversEveryEventOnceInOrderOnOneEventLoop() throws Exception {
        server.append(0, 50, true);
        server.append(1, 20, true);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Long> shard0 = new CopyOnWriteArrayList<>();
        List<Long> shard1 = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> live = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        FeedHandler handler = new FeedHandler() {
            @Override
            public long position(int shard) {
                threads.add(Thread.currentThread());
                List<Long> seen = shard == 0 ? shard0 : shard1;
                return seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
            }

            @Override
            public void onEvent(ExchangeEvent e) {
                threads.add(Thread.currentThread());
                (e.shard() == 0 ? shard0 : shard1).add(e.seq());
                if (shard0.size() == 80 && shard1.size() == 25) {
                    done.complete(null);
                }
            }

            @Override
            public void onLive(int shard, long seq) {
                live.get(shard).complete(null);
            }
        };
        Context verticle = vertx.getOrCreateContext();
        CompletableFuture<FeedConsumer> built = new CompletableFuture<>();
        verticle.runOnContext(v -> built.complete(FeedConsumers.onEventBus(vertx, handler,
                FeedConsumerOptions.defaults().withConsumerName("it").withReplayPageSize(7)
                        .withCheckpointIntervalMillis(20))));
        FeedConsumer consumer = built.get(WAIT, TimeUnit.SECONDS);
        consumer.start();
        CompletableFuture.allOf(live.toArray(CompletableFuture[]::new)).get(WAIT, TimeUnit.SECONDS);

        server.append(0, 10, false);
        server.append(0, 10, true); // lost: repaired at the next batch
        server.append(0, 10, false);
        server.append(1, 5, false);
        done.get(WAIT, TimeUnit.SECONDS);

        assertEquals(LongStream.rangeClosed(1, 80).boxed().toList(), shard0);
        assertEquals(LongStream.rangeClosed(1, 25).boxed().toList(), shard1);
        assertEquals(1, threads.size(), "one event loop: " + threads);
        assertEquals(1, consumer.stats(0).gaps());
        server.awaitRequest(new JsonObject().put("op", "checkpoint").put("consumer", "it").put("shard", 0)
                .put("seq", 80L)).get(WAIT, TimeUnit.SECONDS);

        consumer.stop();
        CompletableFuture<ShardState> afterStop = new CompletableFuture<>();
        verticle.runOnContext(v -> afterStop.complete(consumer.stats(0).state())); // runs after the stop task
        assertEquals(ShardState.STOPPED, afterStop.get(WAIT, TimeUnit.SECONDS));
    }
}
