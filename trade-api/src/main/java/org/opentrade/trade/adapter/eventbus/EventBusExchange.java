package org.opentrade.trade.adapter.eventbus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.opentrade.exchange.client.CommandCodecs;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.trade.port.ExchangePort;

/**
 * {@link ExchangePort} on the event bus ({@value ExchangeAddresses#COMMANDS}, request-reply). A reply
 * timeout or no handler completes the stage with a {@link TimeoutException} (fate unknown); the
 * trace context travels in the command. Completes on the calling context; never blocks.
 */
public final class EventBusExchange implements ExchangePort {
    private final Vertx vertx;
    private final DeliveryOptions options;
    /** For JSON requests (the barrier): no codec name. */
    private final DeliveryOptions jsonOptions;
    /** Commands and results travel as objects (a local bus): no JSON, no copy; JSON across a cluster. */
    private final boolean objects;

    public EventBusExchange(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.objects = !vertx.isClustered();
        this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
        this.jsonOptions = new DeliveryOptions().setSendTimeout(timeoutMs);
        if (objects) {
            CommandCodecs.register(vertx);
            options.setCodecName(CommandCodecs.COMMAND);
        }
    }

    @Override
    public CompletionStage<CommandResult> submit(Command command) {
        CompletableFuture<CommandResult> f = new CompletableFuture<>();
        Object body = objects ? command : ExchangeJson.toJson(command);
        vertx.eventBus().request(ExchangeAddresses.COMMANDS, body, options).onComplete(ar -> {
            if (ar.succeeded() && ar.result().body() instanceof CommandResult result) {
                f.complete(result);
            } else if (ar.succeeded() && ar.result().body() instanceof JsonObject reply) {
                try {
                    f.complete(ExchangeJson.resultFromJson(reply));
                } catch (IllegalArgumentException e) {
                    f.completeExceptionally(e);
                }
            } else {
                f.completeExceptionally(failure(ar.cause()));
            }
        });
        return f;
    }

    /**
     * A book snapshot request for {@code symbol} ({@value ExchangeAddresses#FEED_SNAPSHOT}, without
     * orders): the exchange serves it on the same context as commands and through the shard's ring
     * behind them, and the snapshot names the shard and the seq it reflects.
     */
    @Override
    public CompletionStage<FeedPosition> barrier(String symbol) {
        CompletableFuture<FeedPosition> f = new CompletableFuture<>();
        JsonObject request = new JsonObject().put("symbol", symbol).put("orders", false);
        vertx.eventBus().request(ExchangeAddresses.FEED_SNAPSHOT, request, jsonOptions).onComplete(ar -> {
            if (ar.succeeded() && ar.result().body() instanceof JsonObject reply && reply.getInteger("code", -1) == 0
                    && reply.getValue("snapshot") instanceof JsonObject snapshot
                    && snapshot.getValue("shard") instanceof Integer shard && snapshot.getValue("seq") instanceof Number seq) {
                f.complete(new FeedPosition(shard, seq.longValue()));
            } else if (ar.succeeded()) {
                f.completeExceptionally(new IllegalStateException("the exchange refused a barrier on " + symbol + ": "
                        + ar.result().body()));
            } else {
                f.completeExceptionally(failure(ar.cause()));
            }
        });
        return f;
    }

    /** No handler or no reply in time: a {@link TimeoutException} (fate unknown); else the cause. */
    private static Throwable failure(Throwable cause) {
        if (cause instanceof ReplyException re && re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
            return new TimeoutException("no answer from the exchange: " + re.getMessage());
        }
        return cause != null ? cause : new IllegalStateException("unreadable exchange reply");
    }
}
