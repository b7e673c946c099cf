package org.opentrade.bench.exchange;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.adapter.eventbus.EventBusPublisher;
import org.opentrade.exchange.adapter.eventbus.FeedEndpoint;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.client.feed.FeedConsumer;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.eventbus.EventBusFeedTransport;
import org.opentrade.exchange.client.feed.eventbus.FeedConsumers;
import org.opentrade.exchange.model.ContinuousCalendar;

/**
 * One exchange and its feed on one local Vert.x, wired as {@code ExchangeService} wires them: a
 * one-shard {@link ShardedExchange} (RULES mode, default ring and snapshot settings) publishing
 * through an {@link EventBusPublisher} (JSON events off) on the exchange's own event loop, the
 * {@link FeedEndpoint} on that loop serving replays from a worker, and a heartbeat every second.
 * Consumers get event loops of their own, as a service's verticle would.
 *
 * <p>Storage on: file journal and event log under a scratch directory, no fsync. Storage off: no
 * journal and no event log, so there is nothing to replay (live only). Each event loop is chosen
 * explicitly (Vert.x internal API) so the exchange side and every consumer are on different threads
 * whatever order contexts are made in.
 */
final class FeedRig implements AutoCloseable {
    /** The exchange service's default heartbeat ({@code exchange.yaml: feed.heartbeat}). */
    static final long HEARTBEAT_MILLIS = 1_000;
    private static final int EVENT_LOOPS = 3;
    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final List<EventLoop> loops;
    private final Context exchangeContext;
    private final ShardedExchange exchange;
    private final Path dir;
    private final int window;
    private FeedEndpoint endpoint;
    private long heartbeatTimer;
    private int nextLoop = 1;
    private String hash;

    private FeedRig(Vertx vertx, List<EventLoop> loops, Context exchangeContext, ShardedExchange exchange,
                    Path dir, int ringSize) {
        this.vertx = vertx;
        this.loops = loops;
        this.exchangeContext = exchangeContext;
        this.exchange = exchange;
        this.dir = dir;
        this.window = CommandDriver.window(ringSize);
    }

    /** Starts an empty exchange with its feed; {@code storage}: file journal + event log, or none. */
    static FeedRig start(MixedStream stream, boolean storage) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
        FeedBatchCodec.register(vertx);
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : ((VertxInternal) vertx).nettyEventLoopGroup()) {
            loops.add((EventLoop) e);
        }
        Context context = ((VertxInternal) vertx).contextBuilder().withEventLoop(loops.get(0)).build();
        EventBusPublisher publisher = new EventBusPublisher(vertx.eventBus(), context, 1, false);
        ShardedExchangeOptions options = ShardedExchangeOptions.defaults(EngineMode.catalog(stream.symbols()),
                new ContinuousCalendar());
        Path dir = null;
        if (storage) {
            dir = BenchDirectories.create("opentrade-feed-bench");
            options = options.withJournal(dir, FsyncPolicy.NONE);
        }
        FeedRig rig = new FeedRig(vertx, loops, context, ShardedExchange.start(options, publisher), dir,
                options.ringSize());
        CompletableFuture<FeedEndpoint> registered = new CompletableFuture<>();
        context.runOnContext(v -> {
            publisher.startAt(0, rig.exchange.headSeq(0));
            rig.heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MILLIS,
                    id -> publisher.heartbeat(new long[] {rig.exchange.firstKeptSeq(0)}));
            FeedEndpoint.register(vertx, rig.exchange).onComplete(ar -> {
                if (ar.succeeded()) {
                    registered.complete(ar.result());
                } else {
                    registered.completeExceptionally(ar.cause());
                }
            });
        });
        rig.endpoint = await(registered);
        return rig;
    }

    ShardedExchange exchange() {
        return exchange;
    }

    /** The exchange's event loop thread: it publishes batches and serves the feed endpoint. */
    Thread exchangeThread() {
        return threadOf(exchangeContext);
    }

    private static Thread threadOf(Context context) {
        CompletableFuture<Thread> t = new CompletableFuture<>();
        context.runOnContext(v -> t.complete(Thread.currentThread()));
        return await(t);
    }

    /** Commands a driver keeps in flight: half the ring. */
    int window() {
        return window;
    }

    /** A consumer (not started) of shard 0 on an event loop of its own, counting into a new {@link FeedCounter}. */
    Consumer consumer(int replayPageSize) {
        Context context = ((VertxInternal) vertx).contextBuilder().withEventLoop(loops.get(nextLoop)).build();
        nextLoop = nextLoop % (loops.size() - 1) + 1;
        FeedCounter counter = new FeedCounter(task -> context.runOnContext(v -> task.run()));
        FeedConsumerOptions options = FeedConsumerOptions.defaults().withShards(0).withReplayPageSize(replayPageSize);
        FeedConsumer consumer = FeedConsumers.onContext(vertx, context, counter, options,
                EventBusFeedTransport.DEFAULT_REQUEST_TIMEOUT_MILLIS);
        return new Consumer(consumer, counter, threadOf(context));
    }

    /** A consumer, its counting handler and the event loop thread it runs on. */
    record Consumer(FeedConsumer feed, FeedCounter counter, Thread thread) {
    }

    /**
     * Stops the endpoint and the heartbeat, closes the exchange (drain, snapshot) and Vert.x, deletes
     * the scratch directory; returns the shard's state hash.
     */
    String closeAndHash() {
        if (hash != null) {
            return hash;
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        exchangeContext.runOnContext(v -> {
            vertx.cancelTimer(heartbeatTimer);
            endpoint.close().onComplete(ar -> stopped.complete(null));
        });
        await(stopped);
        exchange.close();
        hash = exchange.stateHashes().get(0);
        await(vertx.close());
        BenchDirectories.delete(dir);
        return hash;
    }

    @Override
    public void close() {
        closeAndHash();
    }

    static <T> T await(Future<T> f) {
        return await(f.toCompletionStage().toCompletableFuture());
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
