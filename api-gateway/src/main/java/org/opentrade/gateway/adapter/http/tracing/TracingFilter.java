package org.opentrade.gateway.adapter.http.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.opentrade.common.tracing.SpanStore;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.RequestKeys;

/**
 * The first handler of every request: continues the caller's trace (W3C {@code traceparent} or
 * B3; a malformed header is ignored and a new trace starts), opens a SERVER span named
 * {@code <METHOD> <route template>}, or {@code <METHOD>} alone when no route names the request (never its
 * raw path: span names must stay few, see {@link #spanMethod}), leaves the 32-hex trace id under {@link
 * RequestKeys#TRACE_ID} and in the {@code X-Trace-Id} response header (error answers via
 * {@link HttpErrors} carry the same id), and ends the span when the response ends — with the status
 * code, ERROR for 5xx, and ERROR when the connection closes first; a stream's when it is upgraded (101).
 *
 * <p>Later filters use the static helpers: {@link #tagDeveloper} once the caller is known (so the
 * trace becomes theirs in {@code /v1/traces}), {@link #tagRoute} when the API route is known, and
 * {@link #context} as the parent of any span they open. Call them on the request's event loop
 * (after an async step, from the handler Vert.x calls back on that loop).
 *
 * <p>Called on the event loop; never blocks. Cost per request: one header extraction, one span (a
 * few small objects), one end handler; the span's export is queued, never awaited.
 */
public final class TracingFilter implements Handler<RoutingContext> {
    /** RoutingContext key of the request's {@link RequestSpan}; package-private state. */
    static final String STATE = "opentrade.tracing.requestSpan";

    private final Tracer tracer;
    private final SpanStore store;

    public TracingFilter(Tracing tracing) {
        this.tracer = tracing.tracer();
        this.store = tracing.spanStore();
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String method = request.method().name();
        String path = request.path() == null ? "/" : request.path();
        String named = spanMethod(method);
        Context parent = extract(request.headers());
        Span span = tracer.spanBuilder(named)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(HttpAttributes.METHOD, method)
                .setAttribute(HttpAttributes.PATH, path)
                .startSpan();
        RequestSpan state = new RequestSpan(span, parent.with(span), store, named, path);
        ctx.put(STATE, state);
        String traceId = state.traceId();
        ctx.put(RequestKeys.TRACE_ID, traceId);
        ctx.response().putHeader(HttpErrors.TRACE_HEADER_NAME, traceId);
        // Ends at the answer's end, or when the request becomes a stream (AnswerEnd: Vert.x Web runs no end handler
        // for an upgraded request, and every stream's SERVER span was lost).
        AnswerEnd.on(ctx, (status, completed) -> state.end(ctx, status, completed));
        ctx.next();
    }

    /**
     * Marks the request as {@code developerId}'s: the server span gets {@code
     * opentrade.developer_id} and the trace becomes viewable by that developer only (the first
     * developer tagged on a trace keeps it). No-op when the filter did not run.
     */
    public static void tagDeveloper(RoutingContext ctx, String developerId) {
        RequestSpan state = ctx.get(STATE);
        if (state != null && developerId != null && !developerId.isEmpty()) {
            state.tagDeveloper(developerId);
        }
    }

    /**
     * Names the span after the API route template (e.g. {@code /v1/orders/:order_id}) rather than
     * the raw path, keeping span names few. Without it the matched Vert.x route's path is used at
     * the end, else the method alone. No-op when the filter did not run.
     */
    public static void tagRoute(RoutingContext ctx, String routeTemplate) {
        RequestSpan state = ctx.get(STATE);
        if (state != null && routeTemplate != null && !routeTemplate.isEmpty()) {
            state.tagRoute(routeTemplate);
        }
    }

    /** The request's context (its SERVER span), parent for child spans; the root context when untraced. */
    public static Context context(RoutingContext ctx) {
        RequestSpan state = ctx.get(STATE);
        return state == null ? Context.root() : state.context;
    }

    /** The request's SERVER span; an invalid no-op span when untraced. */
    public static Span span(RoutingContext ctx) {
        RequestSpan state = ctx.get(STATE);
        return state == null ? Span.getInvalid() : state.span;
    }

    /**
     * The method as a span name may show it: a standard method, else {@code HTTP} (OpenTelemetry's name for a
     * method it does not know). A span name is an index key in Zipkin (its span-name list per service, which
     * its in-memory store never prunes while the service sends spans), so it must not take values a caller
     * chooses: not the raw path of a request no route matched, not a method of the caller's own invention.
     */
    static String spanMethod(String method) {
        return STANDARD_METHODS.contains(method) ? method : "HTTP";
    }

    private static final java.util.Set<String> STANDARD_METHODS = java.util.Set.of("GET", "HEAD", "POST", "PUT",
            "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    private static Context extract(MultiMap headers) {
        try {
            return Tracing.propagator().extract(Context.root(), headers, HeaderCarrier.INSTANCE);
        } catch (RuntimeException e) {
            // The propagators already ignore bad values; this is belt and braces, since a caller's
            // header must never turn into an error.
            return Context.root();
        }
    }
}
