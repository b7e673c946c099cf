package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.client.CommandCodecs;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.MalformedCommandException;
import org.opentrade.exchange.client.Shards;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.port.Exchange;

/**
 * Serves {@link ExchangeAddresses#COMMANDS}: decodes each request into a {@link Command} stamped
 * with the exchange's clock, submits it, and replies with the {@link CommandResult} as JSON (as the
 * object when the request was a {@link Command} object: {@link CommandCodecs}, a local bus).
 *
 * <p>Every request gets a reply that is a result, never a failure: an unreadable body is answered
 * REJECTED with MALFORMED_COMMAND (-4010), an unexpected error with ENGINE_UNAVAILABLE (-5008),
 * logged once with its trace context. The handler runs on the registering context's event loop and
 * never blocks; replies are sent back on that context.
 */
public final class CommandEndpoint {
    private static final Logger LOG = Logger.getLogger(CommandEndpoint.class.getName());

    private final Exchange exchange;
    private final LongSupplier clock;
    private final org.opentrade.common.tracing.Tracing tracing;
    private final Context context;
    /** Sends commands for another process's shards there; null: every command is handled here. */
    private final ShardRouter router;
    private final List<MessageConsumer<Object>> consumers;

    private CommandEndpoint(Vertx vertx, Exchange exchange, LongSupplier clock, org.opentrade.common.tracing.Tracing tracing) {
        this.exchange = exchange;
        this.clock = clock;
        this.tracing = tracing;
        this.context = vertx.getOrCreateContext();
        CommandCodecs.register(vertx);
        if (exchange instanceof ShardedExchange sharded) {
            this.router = new ShardRouter(vertx, sharded);
            this.consumers = router.serve(ExchangeAddresses.COMMANDS, this::handle, CommandEndpoint::refusal);
        } else {
            this.router = null;
            this.consumers = List.of(vertx.eventBus().consumer(ExchangeAddresses.COMMANDS, m -> handle(m, true)));
        }
    }

    private static JsonObject refusal(String message) {
        return new JsonObject().put("code", ResultCode.ENGINE_UNAVAILABLE.code())
                .put("result", ResultCode.ENGINE_UNAVAILABLE.name()).put("message", message).put("events", new JsonArray());
    }

    /**
     * Registers the endpoint; the future completes once the consumer is registered.
     *
     * @param clock epoch milliseconds: the edge where the exchange reads time into commands
     */
    public static Future<CommandEndpoint> register(Vertx vertx, Exchange exchange, LongSupplier clock) {
        return register(vertx, exchange, clock, null);
    }

    /**
     * As {@link #register(Vertx, Exchange, LongSupplier)}, recording a span for every command that
     * carries a trace context (null: no spans): from its arrival to its result, with a child per stage
     * on the shard (queue, journal, replicate, match, publish: {@link CommandSpans}).
     */
    public static Future<CommandEndpoint> register(Vertx vertx, Exchange exchange, LongSupplier clock,
                                                   org.opentrade.common.tracing.Tracing tracing) {
        CommandEndpoint endpoint = new CommandEndpoint(vertx, exchange, clock, tracing);
        return Future.all(endpoint.consumers.stream().map(MessageConsumer::completion).toList()).map(endpoint);
    }

    /** {@code direct}: the request came on this process's per-shard address, so it is never forwarded. */
    private void handle(Message<Object> request, boolean direct) {
        String headerTrace = request.headers().get(ExchangeAddresses.TRACEPARENT_HEADER);
        Command command;
        // a Command object (CommandCodecs, local bus) is answered with the CommandResult object, JSON with JSON
        boolean objects = request.body() instanceof Command;
        try {
            command = objects ? ExchangeJson.commandFromObject((Command) request.body(), clock.getAsLong(), headerTrace)
                    : ExchangeJson.commandFromBody(request.body(), clock.getAsLong(), headerTrace);
        } catch (MalformedCommandException e) {
            request.reply(ExchangeJson.malformed(e), options(ExchangeJson.isTraceParent(headerTrace) ? headerTrace : null));
            return;
        }
        if (!direct && command.symbol() != null && !command.symbol().isEmpty()) {
            int shard = Shards.of(command.symbol(), router.shardCount());
            if (!router.local(shard)) {
                forward(request, command, shard, objects);
                return;
            }
        }
        CommandSpans spans = CommandSpans.start(tracing, command);
        try {
            var submitted = spans == null ? exchange.submit(command) : exchange.submit(command, spans.stages());
            Future.fromCompletionStage(submitted, context).onComplete(ar -> {
                // the answer first: the spans are built after it, off the caller's latency
                if (ar.succeeded()) {
                    if (objects) {
                        request.reply(ar.result(), options(command.traceParent()).setCodecName(CommandCodecs.RESULT));
                    } else {
                        request.reply(ExchangeJson.toJson(ar.result()), options(command.traceParent()));
                    }
                    if (spans != null) {
                        spans.end(ar.result());
                    }
                } else {
                    fail(request, command, ar.cause());
                    if (spans != null) {
                        spans.end();
                    }
                }
            });
        } catch (RuntimeException e) {
            fail(request, command, e);
            if (spans != null) {
                spans.end();
            }
        }
    }

    /**
     * To the process that runs the command's shard, as JSON (a clustered bus); its result relayed.
     * When the owner is known not to run (no handler), the command reached no engine: refused with
     * ENGINE_UNAVAILABLE. When it did not answer in time its fate is unknown, so no answer is made up:
     * the caller's own timeout tells it so, as when it sends to the owner itself.
     */
    private void forward(Message<Object> request, Command command, int shard, boolean objects) {
        router.ask(ExchangeAddresses.COMMANDS, shard, ExchangeJson.toJson(command), options(command.traceParent()))
                .onComplete(ar -> {
                    JsonObject result;
                    if (ar.succeeded() && ar.result().body() instanceof JsonObject j) {
                        result = j;
                    } else if (ar.failed() && ar.cause() instanceof io.vertx.core.eventbus.ReplyException re
                            && re.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS) {
                        result = ExchangeJson.toJson(CommandResult.refused(command, ResultCode.ENGINE_UNAVAILABLE))
                                .put("message", ShardRouter.unreachable(shard, re));
                    } else {
                        LOG.warning("exchange shard " + shard + " gave a forwarded command no readable answer (fate"
                                + " unknown, left to the caller's timeout), trace " + command.traceParent() + ": "
                                + (ar.failed() ? ar.cause().getMessage() : ar.result().body()));
                        return;
                    }
                    if (objects) {
                        CommandResult r;
                        try {
                            r = ExchangeJson.resultFromJson(result);
                        } catch (RuntimeException unreadable) {
                            r = CommandResult.refused(command, ResultCode.ENGINE_UNAVAILABLE);
                        }
                        request.reply(r, options(command.traceParent()).setCodecName(CommandCodecs.RESULT));
                    } else {
                        request.reply(result, options(command.traceParent()));
                    }
                });
    }

    private static void fail(Message<Object> request, Command command, Throwable cause) {
        LOG.log(Level.SEVERE, "command failed unexpectedly, trace " + command.traceParent() + ": " + command, cause);
        JsonObject body = ExchangeJson.toJson(CommandResult.refused(command, ResultCode.ENGINE_UNAVAILABLE));
        request.reply(body, options(command.traceParent()));
    }

    private static DeliveryOptions options(String traceParent) {
        DeliveryOptions o = new DeliveryOptions();
        if (traceParent != null) {
            o.addHeader(ExchangeAddresses.TRACEPARENT_HEADER, traceParent);
        }
        return o;
    }

    /** Stops serving; in-flight commands still get their replies. */
    public Future<Void> close() {
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    }
}
