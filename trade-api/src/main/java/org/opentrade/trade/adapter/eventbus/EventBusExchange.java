package org.opentrade.trade.adapter.eventbus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.opentrade.exchange.client.CommandCodecs;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.Shards;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.trade.port.ExchangePort;

/**
 * {@link ExchangePort} on the event bus (request-reply). A reply timeout or no handler completes the
 * stage with a {@link TimeoutException} (fate unknown); the trace context travels in the command.
 * Completes on the calling context; never blocks.
 *
 * <p>Commands and barriers go to the address of the symbol's shard ({@link ExchangeAddresses#onShard}
 * of {@value ExchangeAddresses#COMMANDS} and {@value ExchangeAddresses#FEED_SNAPSHOT}), served by the
 * one exchange process that runs it, so a barrier travels behind the commands it follows on one path
 * even when the exchange's shards run in several processes (any process would forward a request on
 * the shared address, but a forwarded command and a barrier sent through another process could
 * overtake each other). The shard count comes from the feed's info, asked once; until it is known
 * (or while no exchange answers it) requests use the shared addresses.
 */
public final class EventBusExchange implements ExchangePort {
    private final Vertx vertx;
    private final DeliveryOptions options;
    /** For JSON requests (the barrier): no codec name. */
    private final DeliveryOptions jsonOptions;
    /** Commands and results travel as objects (a local bus): no JSON, no copy; JSON across a cluster. */
    private final boolean objects;
    /** The exchange's shard count once known; null before the first answer or after a failed one. */
    private volatile Future<Routing> routing;

    /** The shard count and the options of per-shard requests (with the count header), made once. */
    private record Routing(int shards, DeliveryOptions commands, DeliveryOptions json) {
    }

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

    /** The shard count from {@value ExchangeAddresses#FEED_INFO}, asked once (again after a failure). */
    private Future<Routing> routing() {
        Future<Routing> f = routing;
        if (f == null || f.failed()) {
            f = vertx.eventBus().request(ExchangeAddresses.FEED_INFO, new JsonObject(), jsonOptions).compose(m ->
                    m.body() instanceof JsonObject info && info.getValue("shards") instanceof Integer n && n > 0
                            ? Future.succeededFuture(new Routing(n, counted(options, n), counted(jsonOptions, n)))
                            : Future.failedFuture("no shard count in the exchange's feed info: " + m.body()));
            routing = f;
        }
        return f;
    }

    private static DeliveryOptions counted(DeliveryOptions base, int shards) {
        return new DeliveryOptions(base).addHeader(ExchangeAddresses.SHARDS_HEADER, Integer.toString(shards));
    }

    /** To {@code symbol}'s shard's address with the count header; to the shared address while that is unknown. */
    private void send(String address, String symbol, Object body, boolean command,
                      io.vertx.core.Handler<io.vertx.core.AsyncResult<Message<Object>>> handler) {
        routing().onComplete(r -> {
            if (r.succeeded() && symbol != null) {
                Routing to = r.result();
                vertx.eventBus().request(ExchangeAddresses.onShard(address, Shards.of(symbol, to.shards())), body,
                        command ? to.commands() : to.json()).onComplete(handler);
            } else {
                vertx.eventBus().request(address, body, command ? options : jsonOptions).onComplete(handler);
            }
        });
    }

    @Override
    public CompletionStage<CommandResult> submit(Command command) {
        CompletableFuture<CommandResult> f = new CompletableFuture<>();
        Object body = objects ? command : ExchangeJson.toJson(command);
        send(ExchangeAddresses.COMMANDS, command.symbol(), body, true, ar -> {
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
        send(ExchangeAddresses.FEED_SNAPSHOT, symbol, request, false, ar -> {
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
