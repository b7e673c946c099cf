package org.opentrade.common.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished span as {@link SpanStore} keeps it: only what the trace viewer shows, in few objects.
 * Stored spans live longer than a young collection interval, so every byte and object of them is
 * copied by the collector at each one; keeping the SDK's span (with its attribute map, clock and
 * context objects) made those copies the gateway's longest pauses. Immutable.
 */
final class StoredSpan {
    private final String spanId;
    /** Null for the root span of a trace, or when the parent is remote and unknown. */
    private final String parentSpanId;
    private final String name;
    private final String kind;
    private final String service;
    private final long startNanos;
    private final long endNanos;
    private final String status;
    /** Attribute names and values, alternating; names are the SDK's interned key strings. */
    private final Object[] attributes;

    private StoredSpan(SpanData span) {
        this.spanId = span.getSpanId();
        this.parentSpanId = span.getParentSpanContext().isValid() ? span.getParentSpanId() : null;
        this.name = span.getName();
        this.kind = span.getKind().name();
        this.service = span.getResource().getAttribute(TraceAttributes.SERVICE_NAME);
        this.startNanos = span.getStartEpochNanos();
        this.endNanos = span.getEndEpochNanos();
        this.status = span.getStatus().getStatusCode().name();
        Object[] attrs = new Object[span.getAttributes().size() * 2];
        int[] i = {0};
        span.getAttributes().forEach((AttributeKey<?> k, Object v) -> {
            attrs[i[0]++] = k.getKey();
            attrs[i[0]++] = v;
        });
        this.attributes = attrs;
    }

    static StoredSpan of(SpanData span) {
        return new StoredSpan(span);
    }

    long startNanos() {
        return startNanos;
    }

    /** The viewer's form of this span of trace {@code traceId}. */
    SpanRecord toRecord(String traceId) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            attrs.put((String) attributes[i], attributes[i + 1]);
        }
        return new SpanRecord(traceId, spanId, parentSpanId, name, kind, service, startNanos / 1_000,
                Math.max(0, endNanos - startNanos) / 1_000, status, Collections.unmodifiableMap(attrs));
    }
}
