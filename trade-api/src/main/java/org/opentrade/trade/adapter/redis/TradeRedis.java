package org.opentrade.trade.adapter.redis;

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
        connection.close();
        client.shutdown();
    }
}
