package org.opentrade.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingTest {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String SPAN = "b7ad6b7169203331";
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracing tracing = Tracing.create(new TracingOptions().setServiceName("market-api"));

    @AfterEach
    void close() {
        tracing.close();
    }

    private static SpanContext extract(Map<String, String> headers) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        return Span.fromContext(Tracing.propagator().extract(Context.root(), ci, GETTER)).getSpanContext();
    }

    @Test
    void aW3cTraceparentIsExtracted() {
        SpanContext c = extract(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01"));
        assertEquals(TRACE, c.getTraceId());
        assertEquals(SPAN, c.getSpanId());
        assertTrue(c.isRemote() && c.isSampled());
    }

    @Test
    void b3MultiHeadersAreExtracted() {
        SpanContext c = extract(Map.of("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1"));
        assertEquals(TRACE, c.getTraceId());
        assertEquals(SPAN, c.getSpanId());
    }

    @Test
    void aB3SingleHeaderIsExtracted() {
        SpanContext c = extract(Map.of("b3", TRACE + "-" + SPAN + "-1"));
        assertEquals(TRACE, c.getTraceId());
    }

    @Test
    void w3cWinsWhenBothFormatsArriveAndDisagree() {
        SpanContext c = extract(Map.of("traceparent", "00-" + TRACE + "-" + SPAN + "-01",
                "X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124", "X-B3-SpanId", "a2fb4a1d1a96d312"));
        assertEquals(TRACE, c.getTraceId());
    }

    @Test
    void aTraceparentValueNamesTheParentOfASpanAndAMalformedOneNone() {
        SpanContext c = Span.fromContext(Tracing.parentOf("00-" + TRACE + "-" + SPAN + "-01")).getSpanContext();
        assertEquals(TRACE, c.getTraceId());
        assertEquals(SPAN, c.getSpanId());
        assertFalse(Span.fromContext(Tracing.parentOf("00-nonsense")).getSpanContext().isValid());
        assertFalse(Span.fromContext(Tracing.parentOf(null)).getSpanContext().isValid());
    }

    @Test
    void malformedHeadersAreIgnored() {
        assertFalse(extract(Map.of("traceparent", "00-zzzz-not-a-trace")).isValid());
        assertFalse(extract(Map.of("traceparent", "00-" + "0".repeat(32) + "-" + SPAN + "-01")).isValid());
        assertFalse(extract(Map.of("X-B3-TraceId", "xyz", "X-B3-SpanId", "")).isValid());
        assertFalse(extract(Map.of("b3", "-----")).isValid());
    }

    @Test
    void injectionWritesTraceparentAndB3MultiHeadersForTheSameSpan() {
        Span span = tracing.tracer().spanBuilder("call").setNoParent().startSpan();
        Map<String, String> out = new HashMap<>();
        Tracing.propagator().inject(Context.root().with(span), out, Map::put);
        span.end();
        String trace = span.getSpanContext().getTraceId();
        String id = span.getSpanContext().getSpanId();
        // Flags: sampled (01), plus the W3C level-2 "random trace id" bit (02) this SDK sets.
        assertTrue(out.get("traceparent").matches("00-" + trace + "-" + id + "-0[13]"), out.get("traceparent"));
        assertEquals(trace, out.get("X-B3-TraceId"));
        assertEquals(id, out.get("X-B3-SpanId"));
        assertEquals("1", out.get("X-B3-Sampled"));
        assertNull(out.get("b3"));
    }

    @Test
    void finishedSpansReachTheStoreAsViewerRecords() {
        Span server = tracing.tracer().spanBuilder("GET /v1/quotes").setSpanKind(SpanKind.SERVER).setNoParent()
                .setAttribute("http.response.status_code", 200L).startSpan();
        Span client = tracing.tracer().spanBuilder("GET market-api").setSpanKind(SpanKind.CLIENT)
                .setParent(Context.root().with(server)).startSpan();
        client.end();
        server.end();
        String trace = server.getSpanContext().getTraceId();
        List<SpanRecord> spans = tracing.spanStore().spans(trace);
        assertEquals(2, spans.size());
        SpanRecord root = spans.get(0);
        SpanRecord child = spans.get(1);
        assertEquals("GET /v1/quotes", root.name());
        assertEquals("SERVER", root.kind());
        assertNull(root.parentSpanId());
        assertEquals("market-api", root.service());
        assertEquals(200L, root.attributes().get("http.response.status_code"));
        assertEquals(root.spanId(), child.parentSpanId());
        assertEquals("CLIENT", child.kind());
        assertTrue(root.durationUs() >= child.durationUs());
        Map<String, Object> json = root.toJsonMap();
        assertEquals(List.of("trace_id", "span_id", "parent_span_id", "name", "kind", "service", "start_us",
                "duration_us", "status", "attributes"), List.copyOf(json.keySet()));
    }

    @Test
    void twoServicesSharingAStoreBothContributeToOneTrace() {
        try (Tracing gateway = Tracing.create(new TracingOptions().setServiceName("api-gateway"), tracing.spanStore())) {
            Span in = gateway.tracer().spanBuilder("GET /v1/quotes").setNoParent().startSpan();
            Span hop = tracing.tracer().spanBuilder("quotes").setParent(Context.root().with(in)).startSpan();
            hop.end();
            in.end();
            List<SpanRecord> spans = tracing.spanStore().spans(in.getSpanContext().getTraceId());
            assertEquals(List.of("api-gateway", "market-api"), spans.stream().map(SpanRecord::service).toList());
        }
    }

    @Test
    void aZeroSampleRatioRecordsNothingButStillPropagatesATraceId() {
        try (Tracing off = Tracing.create(new TracingOptions().setSampleRatio(0.0))) {
            Span s = off.tracer().spanBuilder("x").setNoParent().startSpan();
            s.end();
            assertTrue(s.getSpanContext().isValid());
            assertEquals(0, off.spanStore().traceCount());
        }
    }
}
