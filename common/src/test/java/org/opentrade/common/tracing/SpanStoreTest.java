package org.opentrade.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
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
