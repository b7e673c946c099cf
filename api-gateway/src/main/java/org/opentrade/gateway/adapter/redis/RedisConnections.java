package org.opentrade.gateway.adapter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;

/**
 * One Lettuce client with the two connections every Redis adapter of a gateway shares: one for
 * commands (Lettuce multiplexes and pipelines all callers over it) and one for pub/sub (a subscribed
 * connection cannot run commands).
 *
 * <p>Lettuce's defaults suit a batch client, not a gateway, so they are changed here: every command
 * times out after {@link RedisOptions#commandTimeout()}, commands issued while disconnected are
 * rejected at once instead of queued (the caller applies its failure policy instead of waiting for a
 * reconnect that may never come), and the client reconnects (and re-subscribes) on its own, retrying
 * at least every {@link #MAX_RECONNECT_DELAY} (Lettuce's default backs off to 30 s: that long without
 * limits or keys after Redis is back), with jitter so a fleet of gateways does not reconnect in step.
 *
 * <p>Thread-safe. Stages returned by the commands complete on a Lettuce I/O thread: callbacks must not
 * block, and Vert.x callers hop back to their context. The adapters borrow this object; whoever opened
 * it closes it, after them.
 */
public final class RedisConnections {

    /** The longest wait between two reconnect attempts. */
    public static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final RedisOptions options;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubSub;

    private RedisConnections(RedisOptions options, ClientResources resources, RedisClient client,
                             StatefulRedisConnection<String, String> commands,
                             StatefulRedisPubSubConnection<String, String> pubSub) {
        this.options = options;
        this.resources = resources;
        this.client = client;
        this.commands = commands;
        this.pubSub = pubSub;
    }

    /**
     * Connects both connections. Never blocks; fails when Redis cannot be reached within
     * {@link RedisOptions#connectTimeout()}, releasing what was opened.
     */
    public static CompletionStage<RedisConnections> connect(RedisOptions options) {
        RedisURI uri = RedisURI.create(options.uri());
        // The URI's timeout also bounds the connection handshake (HELLO, SELECT): give it the connect
        // timeout, not the 200 ms command budget, which a busy machine exceeds at start-up. Commands
        // keep their own budget through TimeoutOptions below.
        uri.setTimeout(options.commandTimeout().compareTo(options.connectTimeout()) > 0 ? options.commandTimeout()
                : options.connectTimeout());
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(() -> Delay.equalJitter(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 10,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(clientOptions(options));
        CompletableFuture<RedisConnections> result = new CompletableFuture<>();
        client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                .thenCombine(client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture(),
                        (commands, pubSub) -> new RedisConnections(options, resources, client, commands, pubSub))
                .whenComplete((connections, failure) -> {
                    if (failure == null) {
                        result.complete(connections);
                    } else {
                        // One of the two may be open: shutting the client down closes it.
                        shutdown(client, resources).whenComplete((ignored, f) -> result.completeExceptionally(failure));
                    }
                });
        return result;
    }

    static ClientOptions clientOptions(RedisOptions options) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).build())
                .build();
    }

    public RedisOptions options() {
        return options;
    }

    /** The async command API; never call {@code sync()} on the request path. */
    public RedisAsyncCommands<String, String> async() {
        return commands.async();
    }

    public StatefulRedisPubSubConnection<String, String> pubSub() {
        return pubSub;
    }

    /** {@code keyPrefix + name}. */
    public String key(String name) {
        return options.keyPrefix() + name;
    }

    /** Closes both connections and the client's threads. Call after closing the adapters. */
    public CompletionStage<Void> close() {
        return commands.closeAsync()
                .thenCompose(ignored -> pubSub.closeAsync())
                .thenCompose(ignored -> shutdown(client, resources));
    }

    /** The client, then the resources it was given (the client leaves those running). */
    private static CompletableFuture<Void> shutdown(RedisClient client, ClientResources resources) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.shutdownAsync().whenComplete((ignored, failure) -> resources.shutdown().addListener(f -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            } else {
                done.complete(null);
            }
        }));
        return done;
    }
}
