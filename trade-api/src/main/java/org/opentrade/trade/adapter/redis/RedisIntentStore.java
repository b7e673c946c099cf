package org.opentrade.trade.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * answers the list's new length, which plus {@code …:intents-base} (the intents {@link #prune}d off its
 * head, 0 until the first prune) is the intent's index: allocation and append are one atomic command,
 * gap-free from 1, and the index is the server's, so it is right even after a command whose answer was
 * lost. A prune is one script ({@code LTRIM} and the new base together, refused unless the base is the
 * one this store knows) issued on the same connection as the appends, under the same lock, so each
 * append's answer is read against the base Redis had when it ran. Lettuce pipelines appends over one
 * connection and completes them in order on its I/O thread, so {@code durable} callbacks run in index
 * order, on that thread. After a failed or timed-out append the store stops (that intent's outcome is
 * unknown): no later callback runs and appends throw; the caller's pending orders have an unknown status,
 * as with the file store's I/O error.
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
    /** KEYS: log. ARGV: the encoded intent. Returns the list's length: the append of a claimed instance. */
    static final String PUSH_SCRIPT = """
            return redis.call('RPUSH', KEYS[1], ARGV[1])
            """;
    private final TradeRedis redis;
    private final RedisStoreOptions options;
    private final String logKey;
    private final String idKey;
    private final String baseKey;
    /** The guarded {@link #PUSH_SCRIPT}'s digest when the instance is claimed; null: a plain RPUSH. */
    private final String pushDigest;
    /** Intents pruned off the list's head, as of the last command issued (under the lock). */
    private long base;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Completes when the last append (or prune) sent so far has been answered (close waits for it). */
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
        this.baseKey = options.key("intents-base");
        List<Long> opened = redis.await(redis.async().<List<Long>>eval(RedisLists.OPEN_SCRIPT, ScriptOutputType.MULTI,
                logKey, baseKey), "reading the intent log length");
        this.base = opened.get(0);
        this.lastIndex = base + opened.get(1);
        this.pushDigest = redis.claimed()
                ? redis.await(redis.async().scriptLoad(redis.fenced(PUSH_SCRIPT)), "loading the append script") : null;
        redis.onLeaseLost(() -> fail(new IllegalStateException("this process lost its claim on instance "
                + options.instanceId() + "'s key space (another process holds it now)")));
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
            // Issued under the lock: the order of RPUSHes (and prunes) on the connection is the order of
            // lastIndex, so Redis runs this one against the base as of now.
            long issuedBase = base;
            CompletableFuture<Long> pushed = (pushDigest == null ? redis.async().rpush(logKey, encoded)
                    : redis.async().<Long>evalsha(pushDigest, ScriptOutputType.INTEGER, redis.guardedKeys(logKey),
                            redis.guardedArgs(encoded))).toCompletableFuture().thenApply(length -> issuedBase + length);
            CompletableFuture<Long> acknowledged = options.waitReplicas() == 0 ? pushed
                    : pushed.thenCombine(waitForReplicas(), (index, ignored) -> index);
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
            LOG.error("intent log {} in redis {}: a write failed, the store stops (an append's outcome is unknown): {}",
                    logKey, RedisStoreOptions.redacted(options.uri()), error.toString());
            failureHandler.accept(error);
        }
    }

    @Override
    public void onFailure(Consumer<Throwable> handler) {
        failureHandler = handler;
    }

    /**
     * Drops the intents up to {@code throughIndex} off the list's head (at most those appended; a no-op at
     * or below what was pruned). A refused or failed prune stops the store, as a failed append does: the
     * indexes of later answers would be read against the wrong base.
     */
    @Override
    public void prune(long throughIndex) {
        synchronized (this) {
            if (closed || failure != null || throughIndex <= base) {
                return;
            }
            long drop = Math.min(throughIndex, lastIndex) - base;
            byte[] expected = Long.toString(base).getBytes(StandardCharsets.US_ASCII);
            byte[] count = Long.toString(drop).getBytes(StandardCharsets.US_ASCII);
            base += drop;
            // The connection answers in order: this completes after every append before it (close waits for it).
            tail = redis.async().<Long>eval(redis.fenced(RedisLists.TRIM_SCRIPT), ScriptOutputType.INTEGER,
                    redis.guardedKeys(logKey, baseKey), redis.guardedArgs(expected, count, new byte[] {'0'}, new byte[0])).toCompletableFuture().handle((newBase, error) -> {
                        if (error != null) {
                            fail(error);
                        }
                        return null;
                    });
        }
    }

    /** Intents pruned off the head so far (their indexes are gone); 0 before any prune. */
    public synchronized long pruned() {
        return base;
    }

    @Override
    public List<Intent> readAll() {
        List<Intent> out = new ArrayList<>();
        replay(0, out::add);
        return out;
    }

    @Override
    public void replay(long afterIndex, Consumer<Intent> sink) {
        long pruned = pruned();
        IntentStore.requireNotPruned(afterIndex, pruned, logKey);
        long start = afterIndex - pruned; // list offset of index afterIndex + 1
        while (true) {
            List<byte[]> chunk = redis.await(redis.async().lrange(logKey, start, start + READ_CHUNK - 1),
                    "reading the intent log");
            for (int i = 0; i < chunk.size(); i++) {
                long index = pruned + start + i + 1;
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
