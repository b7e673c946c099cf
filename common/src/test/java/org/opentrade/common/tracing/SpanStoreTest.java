package org.opentrade.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanStoreTest {
    private final List<Tracing> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(Tracing::close);
    }

    private Tracer tracer(SpanStore store) {
        Tracing t = Tracing.create(new TracingOptions().setServiceName("store-test"), store);
        open.add(t);
        return t.tracer();
    }

    private static String endRoot(Tracer tracer, String name) {
        Span s = tracer.spanBuilder(name).setNoParent().startSpan();
        s.end();
        return s.getSpanContext().getTraceId();
    }

    @Test
    void oldestTracesAreEvictedWhenTheStoreIsFull() {
        SpanStore store = new SpanStore(3, 10);
        Tracer tracer = tracer(store);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(endRoot(tracer, "op" + i));
        }
        assertEquals(3, store.traceCount());
        assertTrue(store.spans(ids.get(0)).isEmpty());
        assertTrue(store.spans(ids.get(1)).isEmpty());
        for (int i = 2; i < 5; i++) {
            assertEquals("op" + i, store.spans(ids.get(i)).get(0).name());
        }
    }

    @Test
    void aTraceKeepsAtMostItsSpanBudgetAndCountsTheRest() {
        SpanStore store = new SpanStore(10, 3);
        Tracer tracer = tracer(store);
        Span root = tracer.spanBuilder("root").setNoParent().startSpan();
        for (int i = 0; i < 5; i++) {
            tracer.spanBuilder("child" + i).setParent(Context.root().with(root))
                    .startSpan().end();
        }
        root.end();
        String id = root.getSpanContext().getTraceId();
        assertEquals(3, store.spans(id).size());
        assertEquals(3, store.droppedSpans(id));
    }

    @Test
    void theFirstDeveloperToClaimATraceOwnsItForGood() {
        SpanStore store = new SpanStore(10, 10);
        String id = "0af7651916cd43dd8448eb211c80319c";
        assertNull(store.owner(id));
        assertTrue(store.claim(id, "dev-alice"));
        assertFalse(store.claim(id, "dev-mallory"));
        assertEquals("dev-alice", store.owner(id));
    }

    @Test
    void theDeveloperAttributeOnASpanMakesItsDeveloperTheOwner() {
        SpanStore store = new SpanStore(10, 10);
        Span s = tracer(store).spanBuilder("GET /v1/account").setNoParent()
                .setAttribute(TraceAttributes.DEVELOPER_ID, "dev-bob").startSpan();
        s.end();
        assertEquals("dev-bob", store.owner(s.getSpanContext().getTraceId()));
    }

    @Test
    void unknownTraceHasNoSpansAndNoOwner() {
        SpanStore store = new SpanStore(10, 10);
        assertTrue(store.spans("4bf92f3577b34da6a3ce929d0e0e4736").isEmpty());
        assertNull(store.owner("4bf92f3577b34da6a3ce929d0e0e4736"));
        assertNull(store.owner(null));
    }

    @Test
    void aSpanReadBackHasEveryFieldAndAttributeItWasEndedWith() {
        SpanStore store = new SpanStore(10, 10);
        Tracer tracer = tracer(store);
        Span root = tracer.spanBuilder("GET /v1/orders").setNoParent().setSpanKind(SpanKind.SERVER).startSpan();
        Span child = tracer.spanBuilder("trade-api 下单").setParent(Context.root().with(root)).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.status_code", 201L).setAttribute("ratio", 0.25).setAttribute("retried", true)
                .setAttribute("symbol", "600000.SH").setAttribute("名称", "浦发银行")
                .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
                .setAttribute(AttributeKey.longArrayKey("sizes"), List.of(1L, -2L))
                .startSpan();
        child.setStatus(StatusCode.ERROR);
        child.end();
        root.end();
        String traceId = root.getSpanContext().getTraceId();

        List<SpanRecord> spans = store.spans(traceId);
        assertEquals(2, spans.size());
        SpanRecord r = spans.get(0);
        SpanRecord c = spans.get(1);
        assertEquals(root.getSpanContext().getSpanId(), r.spanId());
        assertNull(r.parentSpanId());
        assertEquals("SERVER", r.kind());
        assertEquals("UNSET", r.status());
        assertEquals("store-test", r.service());
        assertEquals(traceId, c.traceId());
        assertEquals(child.getSpanContext().getSpanId(), c.spanId());
        assertEquals(r.spanId(), c.parentSpanId());
        assertEquals("trade-api 下单", c.name());
        assertEquals("CLIENT", c.kind());
        assertEquals("ERROR", c.status());
        assertEquals(Map.of("http.status_code", 201L, "ratio", 0.25, "retried", true, "symbol", "600000.SH",
                "名称", "浦发银行", "tags", List.of("a", "b"), "sizes", List.of(1L, -2L)), c.attributes());
        assertTrue(c.startUs() >= r.startUs() && c.durationUs() >= 0);
    }

    @Test
    void callerControlledStringsAreCutAndAnOversizedSpanIsCountedNotStored() {
        SpanStore store = new SpanStore(10, 10, SpanStore.MIN_LOG_BYTES);
        Tracer tracer = tracer(store);
        String longValue = "x".repeat(100_000);
        Span root = tracer.spanBuilder("root").setNoParent().setAttribute("path", longValue).startSpan();
        Span huge = tracer.spanBuilder("huge").setParent(Context.root().with(root)).startSpan();
        for (int i = 0; i < 100; i++) {
            huge.setAttribute("k" + i, longValue); // 100 x 512 chars: above a quarter of the log
        }
        huge.end();
        root.end();
        String id = root.getSpanContext().getTraceId();
        List<SpanRecord> spans = store.spans(id);
        assertEquals(1, spans.size());
        assertEquals(SpanStore.MAX_STRING_CHARS, ((String) spans.get(0).attributes().get("path")).length());
        assertEquals(1, store.droppedSpans(id));
    }

    @Test
    void whenTheLogIsFullTheOldestSpansGoAndNoTraceReadsAnotherTracesBytes() {
        SpanStore store = new SpanStore(5_000, 10, SpanStore.MIN_LOG_BYTES);
        Tracer tracer = tracer(store);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // ~100 bytes each: 300 KB through a 64 KB log
            Span s = tracer.spanBuilder("op" + i).setNoParent().setAttribute("i", (long) i).startSpan();
            s.end();
            ids.add(s.getSpanContext().getTraceId());
        }
        assertEquals(3_000, store.traceCount());
        assertTrue(store.spans(ids.get(0)).isEmpty(), "the oldest span was overwritten");
        int kept = 0;
        for (int i = 0; i < ids.size(); i++) {
            List<SpanRecord> spans = store.spans(ids.get(i));
            if (!spans.isEmpty()) {
                kept++;
                assertEquals("op" + i, spans.get(0).name());
                assertEquals((long) i, spans.get(0).attributes().get("i"));
            }
        }
        assertTrue(kept > 100 && kept < 3_000, "kept " + kept);
        assertEquals(1, store.spans(ids.get(ids.size() - 1)).size(), "the newest span is there");
    }

    @Test
    void theIndexFindsEveryHeldTraceThroughLongChurn() {
        // Many evictions through a small table exercise the index's deletions (entries shifted back).
        int capacity = 37;
        SpanStore store = new SpanStore(capacity, 4);
        java.util.ArrayDeque<String> held = new java.util.ArrayDeque<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            String id = String.format("%016x%016x", random.nextLong() & 0xff00ff00ffL, random.nextLong() & 0xff);
            if (id.equals("0".repeat(32)) || held.contains(id)) {
                continue;
            }
            assertTrue(store.claim(id, "dev-" + i));
            held.addLast(id);
            if (held.size() > capacity) {
                String evicted = held.removeFirst();
                assertNull(store.owner(evicted), "evicted " + evicted + " at " + i);
            }
            if (i % 97 == 0) {
                for (String h : held) {
                    assertTrue(store.owner(h) != null, "lost " + h + " at " + i);
                }
            }
        }
        assertEquals(capacity, store.traceCount());
    }

    @Test
    void malformedTraceIdsAreUnknownAndCannotBeClaimed() {
        SpanStore store = new SpanStore(10, 10);
        for (String bad : new String[] {"", "abc", "0AF7651916CD43DD8448EB211C80319C", "0af7651916cd43dd8448eb211c80319g",
                "0af7651916cd43dd8448eb211c80319c0", "00000000000000000000000000000000"}) {
            assertFalse(store.claim(bad, "dev-x"), bad);
            assertNull(store.owner(bad), bad);
            assertTrue(store.spans(bad).isEmpty(), bad);
        }
        assertEquals(0, store.traceCount());
    }

    @Test
    void concurrentWritersNeverPushTheStorePastItsCapacity() throws Exception {
        int capacity = 300;
        SpanStore store = new SpanStore(capacity, 64);
        Map<String, Integer> written = writeConcurrently(store, 8, 1_000);
        assertEquals(8_000, written.size());
        assertTrue(store.traceCount() <= capacity, "held " + store.traceCount() + " traces, capacity " + capacity);
        assertTrue(store.traceCount() >= capacity - 8, "held only " + store.traceCount());
        int kept = 0;
        for (var e : written.entrySet()) {
            String owner = store.owner(e.getKey());
            if (owner != null) {
                kept++;
                assertEquals("dev-" + e.getValue(), owner, "a trace is owned by the thread that wrote it");
            }
        }
        assertTrue(kept <= capacity);
    }

    @Test
    void concurrentWritersLoseNoSpanWhileTheStoreHasRoom() throws Exception {
        SpanStore store = new SpanStore(10_000, 64);
        Map<String, Integer> written = writeConcurrently(store, 8, 1_000);
        assertEquals(8_000, store.traceCount());
        written.forEach((traceId, thread) -> {
            assertEquals(SPANS_PER_TRACE, store.spans(traceId).size(), "spans of " + traceId);
            assertEquals("dev-" + thread, store.owner(traceId));
        });
    }

    private static final int SPANS_PER_TRACE = 4;

    /** Each thread writes traces of one root and three children, then claims them; returns trace id to thread. */
    private Map<String, Integer> writeConcurrently(SpanStore store, int threads, int tracesPerThread) throws Exception {
        Tracer tracer = tracer(store);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Map<String, Integer> written = new ConcurrentHashMap<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < tracesPerThread; i++) {
                        Span root = tracer.spanBuilder("root").setNoParent().startSpan();
                        Context ctx = Context.root().with(root);
                        for (int c = 1; c < SPANS_PER_TRACE; c++) {
                            tracer.spanBuilder("child").setParent(ctx).startSpan().end();
                        }
                        root.end();
                        String id = root.getSpanContext().getTraceId();
                        store.claim(id, "dev-" + thread);
                        written.put(id, thread);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return written;
    }
}
