package org.opentrade.gateway.adapter.http.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.opentrade.common.tracing.SpanStore;
import org.opentrade.common.tracing.TraceAttributes;

/**
 * One request's SERVER span and the context its children descend from, kept in the
 * RoutingContext. Touched only on the request's event loop, so no field needs synchronising.
 */
final class RequestSpan {
    final Span span;
    final Context context;
    private final SpanStore store;
    /** The method as the span's name shows it ({@link TracingFilter#spanMethod}): bounded, never the caller's own. */
    private final String method;
    private final String path;
    private String route;
    private boolean ended;

    RequestSpan(Span span, Context context, SpanStore store, String method, String path) {
        this.span = span;
        this.context = context;
        this.store = store;
        this.method = method;
        this.path = path;
    }

    String traceId() {
        return span.getSpanContext().getTraceId();
    }

    void tagDeveloper(String developerId) {
        span.setAttribute(TraceAttributes.DEVELOPER_ID, developerId);
        // An unsampled trace is never stored, so there is nothing to own (and no entry to waste).
        if (span.getSpanContext().isSampled()) {
            store.claim(traceId(), developerId);
        }
    }

    void tagRoute(String template) {
        route = template;
        span.setAttribute(HttpAttributes.ROUTE, template);
        span.updateName(method + " " + template);
    }

    /**
     * Ends the span once, with the answer's {@code status} (101 for a stream); {@code completed} false means the
     * connection closed before the response ended.
     */
    void end(RoutingContext ctx, int status, boolean completed) {
        if (ended) {
            return;
        }
        ended = true;
        if (route == null) {
            // The filter itself sits on a path-less route; a later, matched route names the template.
            Route current = ctx.currentRoute();
            String template = current == null ? null : current.getPath();
            if (template != null) {
                tagRoute(template);
            }
        }
        span.setAttribute(HttpAttributes.STATUS, (long) status);
        if (ctx.failure() != null) {
            span.recordException(ctx.failure());
        }
        if (!completed) {
            span.setAttribute(HttpAttributes.ERROR_TYPE, "connection_closed");
            span.setStatus(StatusCode.ERROR, "connection closed before the response ended");
        } else if (status >= 500) {
            span.setStatus(StatusCode.ERROR, "HTTP " + status);
        }
        span.end();
    }

    @Override
    public String toString() {
        return method + " " + path + " trace " + traceId();
    }
}
