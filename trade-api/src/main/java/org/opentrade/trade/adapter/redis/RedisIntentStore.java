package org.opentrade.trade.adapter.redis;

import io.lettuce.core.RedisFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.opentrade.trade.adapter.file.IntentCodec;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.port.IntentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IntentStore} in Redis, for distributed mode: several trade-api instances on one server, each
 * in its own key space ({@link RedisStoreOptions#key}).
 *
 * <p><b>Log</b>: a Redis list {@code …:intents} of {@link IntentCodec}-encoded intents. {@code RPUSH}
 * answers the list's new length, which is the intent's index: allocation and append are one atomic
 * command, gap-free from 1, and the index is the server's, so it is right even after a command whose
 * answer was lost. Lettuce pipelines appends over one connection and completes them in order on its
 * I/O thread, so {@code durable} callbacks run in index order, on that thread. After a failed or
 * timed-out append the store stops (that intent's outcome is unknown): no later callback runs and
 * appends throw; the caller's pending orders have an unknown status, as with the file store's I/O
 * error.
 *
 * <p><b>Durability equals the Redis server's persistence setting.</b> {@code durable} runs once the
 * server acknowledged the write (and, with {@link RedisStoreOptions#waitReplicas()} {@code > 0}, once
 * {@code WAIT} reported that many replicas had it). An acknowledged intent survives a Redis restart
 * only with {@code appendonly yes}: with {@code appendfsync always} nothing acknowledged is lost on a
 * crash or power loss of the server; with {@code everysec} (Redis's default) up to a second of it; with
 * persistence off, a Redis restart loses the log. Replicas ({@code WAIT}) protect against losing the
 * server's disk, not against a failover to a replica that had not caught up before {@code WAIT}
 * returned. Choose the setting for the loss you accept; trade-api does not check it.
 *
 * <p><b>Exchange ids</b>: {@code INCRBY …:exchange-ids block} reserves {@link
 * RedisStoreOptions#exchangeIdBlock()} sequence numbers per round trip; a restart continues above the
 * last reserved block (ids skipped, never reused — with the same persistence caveat).
 *
 * <p>Threads: any; {@code append} never blocks, and neither does {@code nextExchangeId} unless Redis is
 * slower to reserve the next block than the desk is to use half of one (see there). {@code readAll},
 * {@code replay} and {@code close} block on Redis (start-up and shutdown only).
 */
public final class RedisIntentStore implements IntentStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisIntentStore.class);
    /** Entries per LRANGE when reading the log back. */
    static final int READ_CHUNK = 4_096;

    private final TradeRedis redis;
    private final RedisStoreOptions options;
    private final String logKey;
    private final String idKey;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Completes when the last append sent so far has been acknowledged (close waits for it). */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private long lastIndex;
    private long idNext;
    private long idLimit;
    /** The next block's reservation (its highest id), asked for ahead of need; null when none is pending. */
    private CompletableFuture<Long> nextBlock;
    private boolean closed;
    /** Set once by the I/O thread when an append failed; appends refuse from then on. */
    private volatile Throwable failure;
    private volatile Consumer<Throwable> failureHandler = err -> {
    };

    /** Reads the log's length (the last index) from Redis: blocks once. {@code redis} stays the caller's. */
    public RedisIntentStore(TradeRedis redis) {
        this.redis = redis;
        this.options = redis.options();
        this.logKey = options.key("intents");
        this.idKey = options.key("exchange-ids");
        this.lastIndex = redis.await(redis.async().llen(logKey), "reading the intent log length");
        this.nextBlock = reserveBlock(); // the first block, so the first order does not wait for Redis
    }

    @Override
    public boolean append(Intent intent, LongConsumer durable) {
        byte[] encoded = IntentCodec.encode(intent);
        synchronized (this) {
            requireOpen();
            if (inFlight.get() >= options.maxInFlight()) {
                return false;
            }
            inFlight.incrementAndGet();
            lastIndex++;
            // Issued under the lock: the order of RPUSHes on the connection is the order of lastIndex.
            RedisFuture<Long> pushed = redis.async().rpush(logKey, encoded);
            CompletableFuture<Long> acknowledged = options.waitReplicas() == 0 ? pushed.toCompletableFuture()
                    : pushed.toCompletableFuture().thenCombine(waitForReplicas(), (index, ignored) -> index);
            tail = acknowledged.handle((index, error) -> {
                inFlight.decrementAndGet();
                if (error != null) {
                    fail(error);
                } else if (failure == null) {
                    durable.accept(index);
                }
                return null;
            });
        }
        return true;
    }

    private CompletableFuture<Long> waitForReplicas() {
        return redis.async().waitForReplication(options.waitReplicas(), options.commandTimeout().toMillis())
                .toCompletableFuture().thenApply(replicas -> {
                    if (replicas < options.waitReplicas()) {
                        throw new IllegalStateException("WAIT: " + replicas + " of " + options.waitReplicas()
                                + " replicas acknowledged the intent");
                    }
                    return replicas;
                });
    }

    private void fail(Throwable error) {
        if (failure == null) {
            failure = error;
            LOG.error("intent log {} in redis {}: an append failed, the store stops (its outcome is unknown): {}",
                    logKey, RedisStoreOptions.redacted(options.uri()), error.toString());
            failureHandler.accept(error);
        }
    }

    @Override
    public void onFailure(Consumer<Throwable> handler) {
        failureHandler = handler;
    }

    @Override
    public List<Intent> readAll() {
        List<Intent> out = new ArrayList<>();
        replay(0, out::add);
        return out;
    }

    @Override
    public void replay(long afterIndex, Consumer<Intent> sink) {
        long start = Math.max(0, afterIndex); // list offset of index afterIndex + 1
        while (true) {
            List<byte[]> chunk = redis.await(redis.async().lrange(logKey, start, start + READ_CHUNK - 1),
                    "reading the intent log");
            for (int i = 0; i < chunk.size(); i++) {
                long index = start + i + 1;
                byte[] b = chunk.get(i);
                try {
                    sink.accept(IntentCodec.decode(index, b, 0, b.length));
                } catch (IOException e) {
                    throw new UncheckedIOException("intent " + index + " of " + logKey + " cannot be decoded", e);
                }
            }
            if (chunk.size() < READ_CHUNK) {
                return;
            }
            start += chunk.size();
        }
    }

    @Override
    public synchronized long lastIndex() {
        return lastIndex;
    }

    /**
     * The next id. Blocks only when the reserved block is used up and the next one (asked for, without
     * waiting, once half of the current block is used) has not been answered yet: at the default block of
     * 10 000 that means Redis took longer to answer one INCRBY than the desk took to place 5 000 orders.
     * The first block is reserved by the constructor.
     */
    @Override
    public synchronized long nextExchangeId() {
        requireOpen();
        long block = options.exchangeIdBlock();
        if (idNext == 0 || idNext > idLimit) {
            CompletableFuture<Long> reserved = nextBlock != null ? nextBlock : reserveBlock();
            nextBlock = null;
            long high = redis.await(reserved, "reserving exchange ids");
            if (high > ExchangeOrderIds.MAX_SEQUENCE) {
                throw new IllegalStateException("exchange order id sequence of instance " + options.instanceId()
                        + " is exhausted (" + idKey + " = " + high + ")");
            }
            idNext = high - block + 1;
            idLimit = high;
        }
        if (nextBlock == null && idLimit - idNext < block / 2) {
            nextBlock = reserveBlock(); // answered long before this block runs out
        }
        return ExchangeOrderIds.compose(options.instanceId(), idNext++);
    }

    private CompletableFuture<Long> reserveBlock() {
        return redis.async().incrby(idKey, options.exchangeIdBlock()).toCompletableFuture();
    }

    /** Waits for the appends already sent and their callbacks; the connection stays the caller's. */
    @Override
    public void close() {
        CompletableFuture<Void> last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = tail;
        }
        try {
            last.get(options.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("intent log {}: appends still unanswered at close: {}", logKey, e.toString());
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("intent store is closed");
        }
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("intent store has failed: " + f, f);
        }
    }
}
