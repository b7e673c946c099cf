package org.opentrade.trade.adapter.redis;

import java.time.Duration;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lettuce client and one connection (string keys, binary values) that trade-api's Redis stores
 * share. Lettuce pipelines every command over the connection in the order they are issued and
 * completes them in that order, on its I/O thread — which is what keeps intent indexes and their
 * durable callbacks in order.
 *
 * <p>As the gateway's adapters: commands time out after {@link RedisStoreOptions#commandTimeout()},
 * commands issued while disconnected are rejected at once (an intent must not wait in a client queue
 * that a crash would lose), and the client reconnects on its own.
 *
 * <p>Thread-safe. Whoever opened it closes it, after the stores.
 */
public final class TradeRedis implements AutoCloseable {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisStoreOptions options;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    /** This process's claim on the instance's key space; null until {@link #claimInstance}. */
    private volatile InstanceLease lease;

    private TradeRedis(RedisStoreOptions options, RedisClient client, StatefulRedisConnection<String, byte[]> c) {
        this.options = options;
        this.client = client;
        this.connection = c;
    }

    /**
     * Connects; blocks up to the connect timeout (call it off the event loop, at start-up).
     *
     * @throws IllegalStateException when Redis cannot be reached; the message names the URI without
     *                               its credentials
     */
    public static TradeRedis connect(RedisStoreOptions options) {
        RedisURI uri = RedisURI.create(options.uri());
        uri.setTimeout(options.connectTimeout().compareTo(options.commandTimeout()) > 0 ? options.connectTimeout()
                : options.commandTimeout());
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                // No reconnect: Lettuce would resend appends that were in flight when the connection
                // dropped (at-least-once), and one Redis had stored before it died would be logged twice.
                // A dropped connection fails what is in flight instead; the intent store stops, and a
                // restart reads the log to learn which of those landed (at most once, outcome known).
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).build())
                .build());
        try {
            return new TradeRedis(options, client, client.connect(CODEC, uri));
        } catch (RuntimeException e) {
            client.shutdown();
            // Lettuce's message may carry the URI: name it ourselves, redacted, and keep only the cause's type.
            throw new IllegalStateException("cannot connect to redis at " + RedisStoreOptions.redacted(options.uri())
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    public RedisStoreOptions options() {
        return options;
    }

    /**
     * Claims this instance's key space for this process ({@link InstanceLease}): blocks until it is taken or
     * {@code wait} ran out (then throws, naming the holder; null: waits for as long as it takes). From then on the stores' writes are guarded
     * ({@link #fenced}), and the intent store stops if a renewal finds the lease lost. Call once, before the
     * stores are opened.
     */
    public void claimInstance(Duration ttl, Duration wait) {
        if (lease != null) {
            throw new IllegalStateException("the instance is claimed already");
        }
        lease = InstanceLease.acquire(this, options.key("owner"), ttl, wait);
    }

    /** Runs {@code action} (once, on the lease's thread) if the claimed lease is found lost; unclaimed: never. */
    void onLeaseLost(Runnable action) {
        InstanceLease l = lease;
        if (l != null) {
            l.onLost(action);
        }
    }

    /** True once {@link #claimInstance} took the lease. */
    boolean claimed() {
        return lease != null;
    }

    /**
     * {@code script} guarded by the lease when claimed: it first checks that this process still holds it
     * (else answers an error, writing nothing); {@link #guardedKeys} and {@link #guardedArgs} add what the
     * guard reads. Unclaimed (tests of a store alone): the script as it is.
     */
    String fenced(String script) {
        return lease == null ? script : InstanceLease.GUARD + script;
    }

    /** {@code keys} plus the owner key when claimed. */
    String[] guardedKeys(String... keys) {
        if (lease == null) {
            return keys;
        }
        String[] all = java.util.Arrays.copyOf(keys, keys.length + 1);
        all[keys.length] = lease.key();
        return all;
    }

    /** {@code args} plus this holder's token when claimed. */
    byte[][] guardedArgs(byte[]... args) {
        if (lease == null) {
            return args;
        }
        byte[][] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = lease.token();
        return all;
    }

    /** The async command API; stages complete on Lettuce's I/O thread. */
    RedisAsyncCommands<String, byte[]> async() {
        return connection.async();
    }

    /** Waits for {@code stage} up to the command timeout (blocking callers only). */
    <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(options.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("redis failed while " + what + ": " + cause, cause);
        }
    }

    @Override
    public void close() {
        InstanceLease l = lease;
        if (l != null) {
            l.close();
        }
        connection.close();
        client.shutdown();
    }
}
