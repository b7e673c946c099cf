package org.opentrade.common.tracing;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The recent traces of this JVM, in memory, for "show me the trace of my request". Several
 * services in one JVM (the all-in-one) share one store, so a trace holds the spans of every hop.
 *
 * <p>Bounded: at most {@code maxTraces} traces (the oldest, by first span or owner seen, is
 * evicted) and at most {@code maxSpansPerTrace} spans in each (later spans are counted and dropped).
 *
 * <p>Thread-safe. {@link #add} runs on whatever thread ends a span (an event loop): it takes no
 * global lock (one map look-up, an uncontended monitor per
 * trace, and on a new trace one slot of a ring), and never blocks. It keeps a compact copy of the
 * span ({@code StoredSpan}), not the SDK's span, because stored spans outlive young collections and
 * their size is pause time; rendering to {@link SpanRecord} happens only on query.
 *
 * <p>Ownership: the first developer id seen for a trace (via {@link #claim} or a span attribute
 * {@link TraceAttributes#DEVELOPER_ID}) owns it, and it never changes — a caller who reuses
 * someone else's trace id in its {@code traceparent} does not gain access to that trace.
 */
public final class SpanStore {
    private final int maxTraces;
    private final int maxSpansPerTrace;
    private final ConcurrentHashMap<String, Trace> traces;
    /**
     * Traces in arrival order, as a ring of {@code maxTraces} slots: a new trace takes the next slot
     * and evicts the trace that held it, which is the oldest one. No allocation per trace.
     */
    private final AtomicReferenceArray<Trace> ring;
    private final AtomicLong arrivals = new AtomicLong();

    public SpanStore(int maxTraces, int maxSpansPerTrace) {
        if (maxTraces < 1 || maxSpansPerTrace < 1) {
            throw new IllegalArgumentException("span store bounds must be positive: maxTraces=" + maxTraces
                    + ", maxSpansPerTrace=" + maxSpansPerTrace);
        }
        this.maxTraces = maxTraces;
        this.maxSpansPerTrace = maxSpansPerTrace;
        this.traces = new ConcurrentHashMap<>(Math.min(maxTraces, 1 << 16) * 4 / 3 + 1);
        this.ring = new AtomicReferenceArray<>(maxTraces);
    }

    /** A store with the default bounds of {@link TracingOptions}. */
    public SpanStore() {
        this(TracingOptions.DEFAULT_STORE_TRACES, TracingOptions.DEFAULT_STORE_SPANS_PER_TRACE);
    }

    /** Keeps a finished span. Any thread; never blocks. */
    public void add(SpanData span) {
        Trace t = trace(span.getTraceId());
        String developer = span.getAttributes().get(TraceAttributes.DEVELOPER_ID);
        if (developer != null) {
            t.owner.compareAndSet(null, developer);
        }
        t.add(StoredSpan.of(span), maxSpansPerTrace);
    }

    /**
     * Makes {@code developerId} the owner of the trace unless someone already owns it. Returns true
     * when the developer owns it now. Any thread; never blocks.
     */
    public boolean claim(String traceId, String developerId) {
        if (traceId == null || developerId == null) {
            return false;
        }
        AtomicReference<String> owner = trace(traceId).owner;
        owner.compareAndSet(null, developerId);
        return developerId.equals(owner.get());
    }

    /** The developer owning the trace, or null when the trace is unknown, evicted or unowned. */
    public String owner(String traceId) {
        Trace t = traceId == null ? null : traces.get(traceId);
        return t == null ? null : t.owner.get();
    }

    /** The trace's finished spans ordered by start time; empty when unknown or evicted. O(spans). */
    public List<SpanRecord> spans(String traceId) {
        Trace t = traceId == null ? null : traces.get(traceId);
        if (t == null) {
            return List.of();
        }
        List<SpanRecord> out = new ArrayList<>();
        for (StoredSpan s : t.snapshot()) {
            out.add(s.toRecord(traceId));
        }
        out.sort(Comparator.comparingLong(SpanRecord::startUs));
        return out;
    }

    /** Spans refused because their trace was full. */
    public int droppedSpans(String traceId) {
        Trace t = traceId == null ? null : traces.get(traceId);
        return t == null ? 0 : t.dropped();
    }

    /** Traces held now. */
    public int traceCount() {
        return traces.size();
    }

    public int maxTraces() {
        return maxTraces;
    }

    public int maxSpansPerTrace() {
        return maxSpansPerTrace;
    }

    private Trace trace(String traceId) {
        Trace t = traces.get(traceId);
        if (t != null) {
            return t;
        }
        Trace fresh = new Trace(traceId);
        t = traces.putIfAbsent(traceId, fresh);
        if (t != null) {
            return t;
        }
        int slot = (int) (arrivals.getAndIncrement() % maxTraces);
        Trace oldest = ring.getAndSet(slot, fresh);
        if (oldest != null) {
            // By identity: a trace evicted earlier and seen again since is a new entry in its own slot.
            traces.remove(oldest.id, oldest);
        }
        return fresh;
    }

    /** One trace's spans; its monitor is held only to append or copy, and is almost never contended. */
    private static final class Trace {
        final String id;
        final AtomicReference<String> owner = new AtomicReference<>();
        private final ArrayList<StoredSpan> spans = new ArrayList<>(4);
        private int dropped;

        Trace(String id) {
            this.id = id;
        }

        synchronized void add(StoredSpan span, int max) {
            if (spans.size() < max) {
                spans.add(span);
            } else {
                dropped++;
            }
        }

        synchronized List<StoredSpan> snapshot() {
            return new ArrayList<>(spans);
        }

        synchronized int dropped() {
            return dropped;
        }
    }
}
