package org.opentrade.gateway.adapter.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.opentrade.gateway.port.KeyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "this changed" messages of a {@link RedisKeyRegistry}, on the pub/sub channel
 * {@code <prefix>changes} that every gateway sharing the Redis subscribes to.
 *
 * <p>A message is {@code "<instance id> <change>"}. The writing instance tells its own listeners as
 * soon as its write is acknowledged, before the write's stage completes, so a cache on the writing
 * gateway is never stale after the call returns; it then ignores its own message coming back, so each
 * listener hears each change once. Messages published while a gateway is disconnected are lost
 * (pub/sub keeps nothing), so each time Redis confirms the subscription again (the client
 * re-subscribes by itself after a reconnect) listeners are told {@link KeyRegistry#EVERYTHING}: what
 * they cached before or during the gap is dropped, and anything loaded after the confirmation is
 * covered by the messages that follow it.
 *
 * <p>Listeners run on a Lettuce I/O thread (or the writer's completing thread) and must be cheap and
 * thread-safe; one that throws is logged and does not stop the others.
 */
final class ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final RedisConnections redis;
    private final String channel;
    private final String instanceId = UUID.randomUUID().toString();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final RedisPubSubAdapter<String, String> subscriber = new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, String message) {
            if (channel.equals(from)) {
                received(message);
            }
        }

        @Override
        public void subscribed(String subscribed, long count) {
            if (channel.equals(subscribed)) {
                notifyLocal(KeyRegistry.EVERYTHING); // first subscription: nothing cached yet, harmless
            }
        }
    };

    ChangeFeed(RedisConnections redis) {
        this.redis = redis;
        this.channel = redis.key("changes");
    }

    /**
     * Subscribes; completes once Redis confirmed, so no later change is missed. This runs at start-up,
     * when a busy machine can take longer than the per-command budget (200 ms by default) to answer:
     * SUBSCRIBE is idempotent, so one that timed out is sent again until
     * {@link RedisOptions#connectTimeout()} has passed, the budget start-up already has for connecting.
     */
    CompletionStage<Void> start() {
        redis.pubSub().addListener(subscriber);
        long deadline = System.nanoTime() + redis.options().connectTimeout().toNanos();
        return subscribe(deadline);
    }

    private CompletionStage<Void> subscribe(long deadline) {
        return redis.pubSub().async().subscribe(channel).toCompletableFuture().<Void>thenApply(ignored -> null)
                .exceptionallyCompose(failure -> {
                    if (cause(failure) instanceof RedisCommandTimeoutException && System.nanoTime() - deadline < 0) {
                        LOG.info("SUBSCRIBE {} timed out at start-up; sending it again", channel);
                        return subscribe(deadline);
                    }
                    return CompletableFuture.failedFuture(cause(failure));
                });
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    String channel() {
        return channel;
    }

    /** What to publish for {@code change}. */
    String message(String change) {
        return instanceId + " " + change;
    }

    void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Tells this instance's listeners; called after the write and its publish were acknowledged. */
    void notifyLocal(String change) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("a key registry change listener failed on {}", change, e);
            }
        }
    }

    private void received(String message) {
        int space = message.indexOf(' ');
        if (space < 0 || message.regionMatches(0, instanceId, 0, space) && space == instanceId.length()) {
            return; // ours (already told) or not ours to read
        }
        notifyLocal(message.substring(space + 1));
    }

    /**
     * Stops listening. The channel stays subscribed: other registries may share the pub/sub
     * connection, and closing the connections ends the subscription.
     */
    void close() {
        redis.pubSub().removeListener(subscriber);
        listeners.clear();
    }
}
