package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.client.ExchangeAddresses;

/**
 * Where a request for a shard goes when the exchange's shards run in several processes: every
 * process serves each request-reply address, answers for the shards it runs, and forwards the rest to
 * the owner's per-shard address ({@link ExchangeAddresses#onShard}), relaying the reply.
 *
 * <p>A forwarded request carries {@code opentrade-shards} with the sender's shard count; an owner
 * whose count differs refuses it (the two would disagree on which shard owns a symbol). A request that
 * arrived on a per-shard address is never forwarded again, so a misconfiguration cannot loop. When no
 * process answers for a shard within {@link #FORWARD_TIMEOUT_MILLIS} the caller gets the endpoint's
 * refusal naming the shard, never a hang.
 */
final class ShardRouter {
    private static final Logger LOG = Logger.getLogger(ShardRouter.class.getName());
    /** Longest a forwarded request waits for the shard's owner. */
    static final long FORWARD_TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final ShardedExchange exchange;

    ShardRouter(Vertx vertx, ShardedExchange exchange) {
        this.vertx = vertx;
        this.exchange = exchange;
    }

    /** A request as an endpoint sees it: {@code direct} when it came on a per-shard address. */
    interface ShardHandler {
        void handle(Message<Object> request, boolean direct);
    }

    /**
     * Serves {@code address} (requests for any shard) and, for every shard this process runs, its
     * per-shard address. A per-shard request from a process with another shard count is answered
     * {@code refusal} without reaching {@code handler}.
     */
    List<MessageConsumer<Object>> serve(String address, ShardHandler handler, Function<String, Object> refusal) {
        List<MessageConsumer<Object>> consumers = new ArrayList<>();
        consumers.add(vertx.eventBus().consumer(address, m -> handler.handle(m, false)));
        for (int shard : exchange.ownedShards()) {
            Handler<Message<Object>> direct = m -> {
                String theirs = m.headers().get(ExchangeAddresses.SHARDS_HEADER);
                if (theirs != null && !theirs.equals(Integer.toString(exchange.shardCount()))) {
                    LOG.severe("a request for shard " + shard + " came from an exchange process configured with "
                            + theirs + " shards; this one has " + exchange.shardCount() + ": fix exchange.shards");
                    m.reply(refusal.apply("exchange processes disagree on the shard count (" + exchange.shardCount()
                            + " here, " + theirs + " at the sender)"));
                    return;
                }
                handler.handle(m, true);
            };
            consumers.add(vertx.eventBus().consumer(ExchangeAddresses.onShard(address, shard), direct));
        }
        return consumers;
    }

    /** True when this process runs {@code shard}. */
    boolean local(int shard) {
        return exchange.owns(shard);
    }

    /** Shards of the whole exchange. */
    int shardCount() {
        return exchange.shardCount();
    }

    /** Sends {@code body} to the owner of {@code shard}; fails when no process answers in time. */
    Future<Message<Object>> ask(String address, int shard, Object body, DeliveryOptions options) {
        DeliveryOptions o = options == null ? new DeliveryOptions() : new DeliveryOptions(options);
        o.setSendTimeout(FORWARD_TIMEOUT_MILLIS).addHeader(ExchangeAddresses.SHARDS_HEADER, Integer.toString(exchange.shardCount()));
        return vertx.eventBus().request(ExchangeAddresses.onShard(address, shard), body, o);
    }

    /**
     * Forwards {@code body} to {@code shard}'s owner and relays its reply to {@code request}; when
     * nobody answers, replies {@code refusal} of a message naming the shard.
     */
    void forward(Message<Object> request, String address, int shard, Object body, DeliveryOptions options,
                 Function<String, Object> refusal) {
        ask(address, shard, body, options).onComplete(ar -> {
            if (ar.succeeded()) {
                request.reply(ar.result().body(), replyOptions(ar.result()));
            } else {
                request.reply(refusal.apply(unreachable(shard, ar.cause())));
            }
        });
    }

    /** The message of a refusal for a shard whose owner did not answer (logged once per call). */
    static String unreachable(int shard, Throwable cause) {
        LOG.log(Level.WARNING, "exchange shard " + shard + " did not answer: " + cause.getMessage());
        return "exchange shard " + shard + " is not reachable; retry shortly";
    }

    private static DeliveryOptions replyOptions(Message<Object> reply) {
        DeliveryOptions o = new DeliveryOptions();
        String trace = reply.headers().get(ExchangeAddresses.TRACEPARENT_HEADER);
        if (trace != null) {
            o.addHeader(ExchangeAddresses.TRACEPARENT_HEADER, trace);
        }
        return o;
    }
}
