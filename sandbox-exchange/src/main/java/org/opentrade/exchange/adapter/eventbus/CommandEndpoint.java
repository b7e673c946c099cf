package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.client.CommandCodecs;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.MalformedCommandException;
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
    private final MessageConsumer<Object> consumer;

    private CommandEndpoint(Vertx vertx, Exchange exchange, LongSupplier clock, org.opentrade.common.tracing.Tracing tracing) {
        this.exchange = exchange;
        this.clock = clock;
        this.tracing = tracing;
        this.context = vertx.getOrCreateContext();
        CommandCodecs.register(vertx);
        this.consumer = vertx.eventBus().consumer(ExchangeAddresses.COMMANDS, this::handle);
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
     * carries a trace context (null: no spans). The span covers the command from its arrival to its
     * result: the journal write and the match on the shard, and the ring's queueing before them.
     */
    public static Future<CommandEndpoint> register(Vertx vertx, Exchange exchange, LongSupplier clock,
                                                   org.opentrade.common.tracing.Tracing tracing) {
        CommandEndpoint endpoint = new CommandEndpoint(vertx, exchange, clock, tracing);
        return endpoint.consumer.completion().map(endpoint);
    }

    private io.opentelemetry.api.trace.Span span(Command c) {
        if (tracing == null || c.traceParent() == null) {
            return io.opentelemetry.api.trace.Span.getInvalid();
        }
        io.opentelemetry.context.Context parent = org.opentrade.common.tracing.Tracing.propagator().extract(
                io.opentelemetry.context.Context.root(), c.traceParent(), TRACEPARENT_GETTER);
        io.opentelemetry.api.trace.Span span = tracing.tracer().spanBuilder("exchange " + c.type() + " (journal, match)")
                .setParent(parent).setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).startSpan();
        if (c.symbol() != null) {
            span.setAttribute("opentrade.symbol", c.symbol());
        }
        span.setAttribute("opentrade.order_id", c.orderId());
        return span;
    }

    private static final io.opentelemetry.context.propagation.TextMapGetter<String> TRACEPARENT_GETTER =
            new io.opentelemetry.context.propagation.TextMapGetter<>() {
                @Override
                public Iterable<String> keys(String carrier) {
                    return java.util.List.of("traceparent");
                }

                @Override
                public String get(String carrier, String key) {
                    return "traceparent".equals(key) ? carrier : null;
                }
            };

    private void handle(Message<Object> request) {
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
        io.opentelemetry.api.trace.Span span = span(command);
        try {
            Future.fromCompletionStage(exchange.submit(command), context).onComplete(ar -> {
                if (ar.succeeded()) {
                    span.setAttribute("opentrade.result_code", ar.result().code().code());
                    span.setAttribute("opentrade.journal_seq", ar.result().journalSeq());
                    span.end();
                    if (objects) {
                        request.reply(ar.result(), options(command.traceParent()).setCodecName(CommandCodecs.RESULT));
                    } else {
                        request.reply(ExchangeJson.toJson(ar.result()), options(command.traceParent()));
                    }
                } else {
                    span.end();
                    fail(request, command, ar.cause());
                }
            });
        } catch (RuntimeException e) {
            fail(request, command, e);
        }
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
        return consumer.unregister();
    }
}
