package org.opentrade.exchange.client.feed.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.client.feed.FeedInfo;
import org.opentrade.exchange.client.feed.FeedTransport;
import org.opentrade.exchange.client.feed.Subscription;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ShardSnapshot;

/**
 * {@link FeedTransport} over the Vert.x event bus, on the addresses and with the message shapes of
 * {@link ExchangeAddresses}. Every request carries a timeout (a timed-out or unanswered request
 * fails its stage); every stage completes, and every live batch is handed over, on the one
 * event-loop context given at construction, which is the feed consumer's thread.
 *
 * <p>Live batches arrive as {@code FeedBatch} objects (the {@link FeedBatchCodec}, registered here:
 * no copy on the local bus) or, from a sender without the codec, as their JSON; an unreadable live
 * message is logged and dropped, and the consumer's gap repair brings its events back.
 */
public final class EventBusFeedTransport implements FeedTransport {
    /** Long enough for a 10 000-event replay page across a cluster; short enough to notice a dead exchange. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 5000;

    private static final Logger LOG = Logger.getLogger(EventBusFeedTransport.class.getName());

    private final Vertx vertx;
    private final OnContext onContext;
    private final DeliveryOptions requestOptions;

    /**
     * @param context              the consumer's event-loop context: stages complete and batches arrive on it
     * @param requestTimeoutMillis how long a request may wait for its reply before its stage fails
     */
    public EventBusFeedTransport(Vertx vertx, Context context, long requestTimeoutMillis) {
        if (requestTimeoutMillis < 1) {
            throw new IllegalArgumentException("requestTimeoutMillis must be positive, got " + requestTimeoutMillis);
        }
        this.vertx = vertx;
        this.onContext = new OnContext(context);
        this.requestOptions = new DeliveryOptions().setSendTimeout(requestTimeoutMillis);
        FeedBatchCodec.register(vertx);
    }

    public EventBusFeedTransport(Vertx vertx, Context context) {
        this(vertx, context, DEFAULT_REQUEST_TIMEOUT_MILLIS);
    }

    @Override
    public CompletionStage<FeedInfo> info() {
        return request(ExchangeAddresses.FEED_INFO, new JsonObject(), FeedMessages::infoReply);
    }

    @Override
    public Subscription subscribe(int shard, Consumer<FeedBatch> onBatch) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(ExchangeAddresses.feed(shard));
        consumer.handler(message -> {
            FeedBatch batch = liveBatch(shard, message.body());
            if (batch != null) {
                onContext.run(() -> onBatch.accept(batch));
            }
        });
        return consumer::unregister;
    }

    @Override
    public CompletionStage<FeedBatch> replay(int shard, long afterSeq, int maxEvents) {
        CompletableFuture<FeedBatch> result = new CompletableFuture<>();
        onContext.run(() -> vertx.eventBus()
                .request(ExchangeAddresses.FEED_REPLAY, FeedMessages.replayRequest(shard, afterSeq, maxEvents),
                        requestOptions)
                .onComplete(reply -> onContext.run(() -> {
                    FeedBatch refused = reply.cause() instanceof ReplyException e
                            ? FeedMessages.replayFailure(shard, e) : null;
                    if (reply.succeeded()) {
                        complete(result, () -> FeedMessages.replayReply(shard, reply.result().body()));
                    } else if (refused != null) {
                        result.complete(refused);
                    } else {
                        result.completeExceptionally(reply.cause());
                    }
                })));
        return result;
    }

    @Override
    public CompletionStage<ShardSnapshot> shardSnapshot(int shard, boolean withOrders) {
        return request(ExchangeAddresses.FEED_SNAPSHOT, FeedMessages.shardSnapshotRequest(shard, withOrders),
                FeedMessages::shardSnapshotReply);
    }

    @Override
    public CompletionStage<BookSnapshot> bookSnapshot(String symbol, boolean withOrders) {
        return request(ExchangeAddresses.FEED_SNAPSHOT, FeedMessages.bookSnapshotRequest(symbol, withOrders),
                body -> FeedMessages.objectReply(body, "snapshot", "book snapshot reply",
                        ExchangeJson::bookSnapshotFromJson));
    }

    @Override
    public CompletionStage<List<AccountSnapshot>> accountSnapshot(String account) {
        return request(ExchangeAddresses.FEED_SNAPSHOT, FeedMessages.accountSnapshotRequest(account),
                body -> FeedMessages.listReply(body, "accounts", "account snapshot reply",
                        ExchangeJson::accountSnapshotFromJson));
    }

    @Override
    public CompletionStage<Void> checkpoint(String consumer, int shard, long seq) {
        return request(ExchangeAddresses.FEED_CONSUMERS, FeedMessages.checkpointRequest(consumer, shard, seq),
                body -> FeedMessages.emptyReply(body, "checkpoint reply"));
    }

    private <T> CompletionStage<T> request(String address, JsonObject body, Function<Object, T> reader) {
        CompletableFuture<T> result = new CompletableFuture<>();
        onContext.run(() -> vertx.eventBus().request(address, body, requestOptions)
                .onComplete(reply -> onContext.run(() -> {
                    if (reply.succeeded()) {
                        complete(result, () -> reader.apply(reply.result().body()));
                    } else {
                        result.completeExceptionally(reply.cause());
                    }
                })));
        return result;
    }

    private static <T> void complete(CompletableFuture<T> result, java.util.function.Supplier<T> read) {
        T value;
        try {
            value = read.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        result.complete(value);
    }

    private static FeedBatch liveBatch(int shard, Object body) {
        if (body instanceof FeedBatch b) {
            return b;
        }
        try {
            if (body instanceof JsonObject j) {
                return ExchangeJson.feedBatchFromJson(j);
            }
            LOG.warning(() -> "feed " + shard + ": dropped a message that is no FeedBatch: "
                    + (body == null ? "null" : body.getClass().getName()));
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "feed " + shard + ": dropped an unreadable batch: " + e.getMessage());
        }
        return null;
    }
}
