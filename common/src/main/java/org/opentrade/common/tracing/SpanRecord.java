package org.opentrade.common.tracing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished span as the trace viewer shows it: plain values only, times in microseconds since
 * the epoch. Rendered on query, not on the hot path.
 *
 * @param parentSpanId null for the root span of a trace (or when the parent is remote and unknown)
 * @param kind         SERVER, CLIENT, INTERNAL, PRODUCER or CONSUMER
 * @param status       UNSET, OK or ERROR
 * @param attributes   String, Long, Double, Boolean or lists of them
 */
public record SpanRecord(String traceId, String spanId, String parentSpanId, String name, String kind,
                         String service, long startUs, long durationUs, String status,
                         Map<String, Object> attributes) {


    /**
     * The JSON object of this span, keys in snake_case: trace_id, span_id, parent_span_id, name,
     * kind, service, start_us, duration_us, status, attributes.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace_id", traceId);
        m.put("span_id", spanId);
        m.put("parent_span_id", parentSpanId);
        m.put("name", name);
        m.put("kind", kind);
        m.put("service", service);
        m.put("start_us", startUs);
        m.put("duration_us", durationUs);
        m.put("status", status);
        m.put("attributes", attributes);
        return m;
    }
}
