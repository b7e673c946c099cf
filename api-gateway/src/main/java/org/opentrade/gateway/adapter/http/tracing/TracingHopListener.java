package org.opentrade.gateway.adapter.http.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import org.opentrade.common.tracing.TraceAttributes;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;

/**
 * A CLIENT span per upstream call, child of the request's SERVER span, named {@code <METHOD>
 * <upstream pool>}. Its context replaces whatever propagation headers the caller sent (a stale
 * {@code b3} or {@code X-B3-ParentSpanId} would otherwise point the upstream at the wrong parent)
 * with {@code traceparent} and B3 multi-headers.
 *
 * <p>A call ending in a 5xx or a failure is an ERROR span; a 4xx is the caller's mistake relayed,
 * not a fault of the hop, so it is not. Called on the event loop; never blocks.
 */
public final class TracingHopListener implements UpstreamHopListener {
    private static final int MAX_TARGETS = 1024;
    private final Tracer tracer;
    /** Upstream targets already split into host and port: parsed once, not per call. */
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();

    public TracingHopListener(Tracing tracing) {
        this.tracer = tracing.tracer();
    }

    @Override
    public Hop start(RoutingContext ctx, String upstream, String target, String method, String path,
                     MultiMap outboundHeaders) {
        Context parent = TracingFilter.context(ctx);
        var builder = tracer.spanBuilder(method + " " + upstream)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(TraceAttributes.UPSTREAM, upstream)
                .setAttribute(HttpAttributes.METHOD, method)
                .setAttribute(HttpAttributes.PATH, path);
        if (target != null) {
            Target t = targets.get(target);
            if (t == null) {
                t = Target.parse(target);
                if (targets.size() < MAX_TARGETS) { // a pool's instances: a handful
                    targets.put(target, t);
                }
            }
            builder.setAttribute(HttpAttributes.SERVER_ADDRESS, t.host);
            if (t.port >= 0) {
                builder.setAttribute(HttpAttributes.SERVER_PORT, t.port);
            }
        }
        Span span = builder.startSpan();
        for (CharSequence header : HeaderCarrier.PROPAGATION_NAMES) {
            outboundHeaders.remove(header);
        }
        Tracing.propagator().inject(parent.with(span), outboundHeaders, HeaderCarrier.INSTANCE);
        return new ClientHop(span);
    }

    /** A {@code host:port} target; port -1 when it has none. */
    private record Target(String host, long port) {
        static Target parse(String target) {
            int colon = target.lastIndexOf(':');
            if (colon <= 0) {
                return new Target(target, -1);
            }
            try {
                return new Target(target.substring(0, colon), Long.parseLong(target.substring(colon + 1)));
            } catch (NumberFormatException e) {
                // A target without a numeric port still names its host; the attribute is optional.
                return new Target(target.substring(0, colon), -1);
            }
        }
    }

    /** Ends its span once; the proxy may report both a status and a later failure. */
    private static final class ClientHop implements Hop {
        private final Span span;
        private boolean ended;

        ClientHop(Span span) {
            this.span = span;
        }

        @Override
        public void end(int status, Throwable failure) {
            if (ended) {
                return;
            }
            ended = true;
            if (status >= 0) {
                span.setAttribute(HttpAttributes.STATUS, (long) status);
            }
            if (failure != null) {
                span.recordException(failure);
                span.setAttribute(HttpAttributes.ERROR_TYPE, failure.getClass().getName());
                span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            } else if (status >= 500 || status < 0) {
                span.setStatus(StatusCode.ERROR, status < 0 ? "no response" : "HTTP " + status);
            }
            span.end();
        }
    }
}
