package org.opentrade.exchange.adapter.eventbus;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.port.CommandStages;

/**
 * The span of one traced command on the process that runs its shard, {@code exchange <type>} (a child
 * of the span that sent it), from its arrival to its result, with a child per stage the shard
 * recorded ({@link CommandStages}):
 * <ul>
 *   <li>{@code exchange queue}: arrival to the shard thread taking it off the ring;</li>
 *   <li>{@code exchange journal}: to its batch's journal commit (one fsync for the batch; attribute
 *       {@code opentrade.batch_commands});</li>
 *   <li>{@code exchange replicate}: to the standby's acknowledgement of the batch (a failover pair only);</li>
 *   <li>{@code exchange match}: the engine running this command (after the earlier commands of its batch);</li>
 *   <li>{@code exchange publish}: to the batch's events being logged and handed to the publisher.</li>
 * </ul>
 * What is left of the parent after its last child is the answer's way back to the endpoint's context and
 * its sending (the spans are built after the answer is sent).
 * Stages are {@link System#nanoTime()} readings; the spans' times are placed on the epoch through one
 * anchor taken at arrival, so parent and children share one clock.
 */
final class CommandSpans {
    private final Tracer tracer;
    private final Span span;
    private final Context context;
    private final CommandStages stages;
    private final long anchorNanos;
    private final long anchorEpochNanos;

    private CommandSpans(Tracer tracer, Command c) {
        this.tracer = tracer;
        Instant now = Instant.now();
        this.anchorNanos = System.nanoTime();
        this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Context parent = Tracing.parentOf(c.traceParent());
        this.span = tracer.spanBuilder("exchange " + c.type()).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(anchorEpochNanos, TimeUnit.NANOSECONDS).startSpan();
        if (c.symbol() != null) {
            span.setAttribute("opentrade.symbol", c.symbol());
        }
        span.setAttribute("opentrade.order_id", c.orderId());
        this.context = parent.with(span);
        this.stages = span.getSpanContext().isSampled() ? new CommandStages() : null;
    }

    /** The spans of a command, or null when it is not traced (no tracing, or no trace context). */
    static CommandSpans start(Tracing tracing, Command c) {
        return tracing == null || c.traceParent() == null ? null : new CommandSpans(tracing.tracer(), c);
    }

    /** Where the shard records the command's stages; null when the span is not sampled. */
    CommandStages stages() {
        return stages;
    }

    /** The shard answered: the stage children, then the span itself, ended now. */
    void end(CommandResult result) {
        span.setAttribute("opentrade.result_code", result.code().code());
        span.setAttribute("opentrade.journal_seq", result.journalSeq());
        end();
    }

    /** Ends the span (and the stages recorded so far) without a result: the command failed. */
    void end() {
        long endNanos = System.nanoTime();
        if (stages != null && stages.dequeued() != 0) {
            long from = child("exchange queue", anchorNanos, stages.dequeued(), 0);
            from = child("exchange journal", from, stages.journaled(), stages.batchCommands());
            from = child("exchange replicate", from, stages.replicated(), 0);
            if (stages.matched() != 0) {
                child("exchange match", stages.matchStarted(), stages.matched(), 0);
                child("exchange publish", stages.matched(), stages.published(), 0);
            }
        }
        span.end(epoch(endNanos), TimeUnit.NANOSECONDS);
    }

    /** A child from {@code from} to {@code to} when the stage was reached ({@code to != 0}); returns where the next starts. */
    private long child(String name, long from, long to, int batchCommands) {
        if (to == 0) {
            return from;
        }
        var builder = tracer.spanBuilder(name).setParent(context).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(epoch(from), TimeUnit.NANOSECONDS);
        if (batchCommands > 0) {
            builder.setAttribute("opentrade.batch_commands", batchCommands);
        }
        builder.startSpan().end(epoch(Math.max(from, to)), TimeUnit.NANOSECONDS);
        return to;
    }

    private long epoch(long nanos) {
        return anchorEpochNanos + (nanos - anchorNanos);
    }
}
