package org.opentrade.common.tracing;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recent traces of this JVM, in memory, for "show me the trace of my request". Several
 * services in one JVM (the all-in-one) share one store, so a trace holds the spans of every hop.
 *
 * <p><b>Bounded</b> three ways: at most {@code maxTraces} traces (a new trace evicts the oldest by
 * arrival), at most {@code maxSpansPerTrace} spans in each (later spans are counted and dropped),
 * and at most {@code logBytes} of encoded spans in all (a full log overwrites its oldest spans, so a
 * trace may lose spans before it is evicted when spans are larger than the log allows per trace).
 *
 * <p><b>Why this shape</b>: a stored span lives longer than the interval between two young
 * collections (at 15 000 requests/s, 10 000 traces turn over in under a second; collections come
 * every two), so every object a store keeps per span is copied by the collector at each one. Kept
 * as objects (a map entry, a list and a few strings per trace) the store made the gateway's young
 * pauses 20-80 ms. Here it allocates nothing per span that outlives the call: spans are encoded into
 * one byte array allocated at construction (a humongous region: old, never copied), traces are slots
 * in primitive arrays, and the index is an open-addressing table of ints. Rendering to
 * {@link SpanRecord} happens only on query.
 *
 * <p><b>Thread-safe</b>: every method takes one lock, held to encode a span (about a microsecond)
 * or to copy a trace out; nothing blocks on I/O. {@link #add} runs on whatever thread ends a span
 * (an event loop); contention is rare as spans end a few times per request.
 *
 * <p><b>Ownership</b>: the first developer id seen for a trace (via {@link #claim} or a span
 * attribute {@link TraceAttributes#DEVELOPER_ID}) owns it, and it never changes — a caller who
 * reuses someone else's trace id in its {@code traceparent} does not gain access to that trace.
 */
public final class SpanStore {
    /** Per span in the default log size: a gateway span encodes to 100-250 bytes. */
    public static final int DEFAULT_LOG_BYTES_PER_TRACE = 1024;
    static final int MIN_LOG_BYTES = 64 * 1024;
    static final int MAX_LOG_BYTES = 1 << 30;
    /** Longer strings (names, attribute values) are cut to this many chars when stored. */
    static final int MAX_STRING_CHARS = 512;

    private final int maxTraces;
    private final int maxSpansPerTrace;
    private final ReentrantLock lock = new ReentrantLock();

    // ---- traces: slot i of these arrays is one trace; slots are taken in arrival order (a ring)
    private final long[] idHi;
    private final long[] idLo;
    /** Absolute log position of the trace's newest span, -1 when it has none. */
    private final long[] newestSpan;
    private final int[] spanCount;
    private final int[] dropped;
    private final String[] owner;
    private long arrivals;

    // ---- index: trace id -> slot + 1 (0 = empty), linear probing, deletions shift back
    private final int[] index;
    private final int indexMask;

    // ---- spans: records never wrap; a record at absolute position p is intact while p >= head - log.length
    private final SpanLog log;

    public SpanStore(int maxTraces, int maxSpansPerTrace, int logBytes) {
        if (maxTraces < 1 || maxSpansPerTrace < 1 || logBytes < 1) {
            throw new IllegalArgumentException("span store bounds must be positive: maxTraces=" + maxTraces
                    + ", maxSpansPerTrace=" + maxSpansPerTrace + ", logBytes=" + logBytes);
        }
        this.maxTraces = maxTraces;
        this.maxSpansPerTrace = maxSpansPerTrace;
        this.idHi = new long[maxTraces];
        this.idLo = new long[maxTraces];
        this.newestSpan = new long[maxTraces];
        this.spanCount = new int[maxTraces];
        this.dropped = new int[maxTraces];
        this.owner = new String[maxTraces];
        int size = Integer.highestOneBit(Math.max(2, maxTraces) * 2 - 1) << 1; // >= 2 x maxTraces, power of two
        this.index = new int[size];
        this.indexMask = size - 1;
        this.log = new SpanLog(Math.max(MIN_LOG_BYTES, Math.min(MAX_LOG_BYTES, logBytes)), MAX_STRING_CHARS);
    }

    /** A store whose log holds {@link #DEFAULT_LOG_BYTES_PER_TRACE} bytes of spans per trace. */
    public SpanStore(int maxTraces, int maxSpansPerTrace) {
        this(maxTraces, maxSpansPerTrace, defaultLogBytes(maxTraces));
    }

    /** A store with the default bounds of {@link TracingOptions}. */
    public SpanStore() {
        this(TracingOptions.DEFAULT_STORE_TRACES, TracingOptions.DEFAULT_STORE_SPANS_PER_TRACE);
    }

    static int defaultLogBytes(int maxTraces) {
        return (int) Math.min(MAX_LOG_BYTES, (long) maxTraces * DEFAULT_LOG_BYTES_PER_TRACE);
    }

    /** Keeps a finished span. Any thread; never blocks on I/O. */
    public void add(SpanData span) {
        String traceId = span.getTraceId();
        if (!TraceIds.isTraceId(traceId)) {
            return; // not a valid trace id: the SDK never ends such a span
        }
        long hi = TraceIds.high(traceId);
        long lo = TraceIds.low(traceId);
        if (hi == 0 && lo == 0) {
            return;
        }
        String developer = span.getAttributes().get(TraceAttributes.DEVELOPER_ID);
        lock.lock();
        try {
            int slot = slot(hi, lo, true);
            if (developer != null && owner[slot] == null) {
                owner[slot] = developer;
            }
            if (spanCount[slot] >= maxSpansPerTrace) {
                dropped[slot]++;
                return;
            }
            long at = log.append(span, newestSpan[slot]);
            if (at < 0) {
                dropped[slot]++; // larger than a quarter of the log
                return;
            }
            newestSpan[slot] = at;
            spanCount[slot]++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes {@code developerId} the owner of the trace unless someone already owns it. Returns true
     * when the developer owns it now. Any thread.
     */
    public boolean claim(String traceId, String developerId) {
        if (developerId == null || !TraceIds.isTraceId(traceId)) {
            return false;
        }
        long hi = TraceIds.high(traceId);
        long lo = TraceIds.low(traceId);
        if (hi == 0 && lo == 0) {
            return false;
        }
        lock.lock();
        try {
            int slot = slot(hi, lo, true);
            if (owner[slot] == null) {
                owner[slot] = developerId;
            }
            return developerId.equals(owner[slot]);
        } finally {
            lock.unlock();
        }
    }

    /** The developer owning the trace, or null when the trace is unknown, evicted or unowned. */
    public String owner(String traceId) {
        lock.lock();
        try {
            int slot = find(traceId);
            return slot < 0 ? null : owner[slot];
        } finally {
            lock.unlock();
        }
    }

    /** The trace's finished spans ordered by start time; empty when unknown or evicted. O(spans). */
    public List<SpanRecord> spans(String traceId) {
        List<SpanRecord> out = new ArrayList<>();
        lock.lock();
        try {
            int slot = find(traceId);
            if (slot < 0) {
                return List.of();
            }
            for (long at = newestSpan[slot]; at >= 0 && log.intact(at); at = log.previous(at)) {
                out.add(log.read(at, traceId));
            }
        } finally {
            lock.unlock();
        }
        out.sort(Comparator.comparingLong(SpanRecord::startUs));
        return out;
    }

    /** Spans refused because their trace was full (or a span was too large to store). */
    public int droppedSpans(String traceId) {
        lock.lock();
        try {
            int slot = find(traceId);
            return slot < 0 ? 0 : dropped[slot];
        } finally {
            lock.unlock();
        }
    }

    /** Traces held now. */
    public int traceCount() {
        lock.lock();
        try {
            return (int) Math.min(arrivals, maxTraces);
        } finally {
            lock.unlock();
        }
    }

    public int maxTraces() {
        return maxTraces;
    }

    public int maxSpansPerTrace() {
        return maxSpansPerTrace;
    }

    /** Bytes of encoded spans the store holds at most. */
    public int logBytes() {
        return log.capacity();
    }

    // ------------------------------------------------------------------ index (under the lock)

    private int find(String traceId) {
        if (!TraceIds.isTraceId(traceId)) {
            return -1;
        }
        long hi = TraceIds.high(traceId);
        long lo = TraceIds.low(traceId);
        return hi == 0 && lo == 0 ? -1 : slot(hi, lo, false);
    }

    /** The trace's slot; when absent, -1, or (create) a new slot evicting the oldest trace. */
    private int slot(long hi, long lo, boolean create) {
        int i = home(hi, lo);
        for (int e; (e = index[i]) != 0; i = (i + 1) & indexMask) {
            int s = e - 1;
            if (idHi[s] == hi && idLo[s] == lo) {
                return s;
            }
        }
        if (!create) {
            return -1;
        }
        int s = (int) (arrivals++ % maxTraces);
        if (arrivals > maxTraces) {
            remove(s); // the oldest trace held this slot
            i = home(hi, lo);
            while (index[i] != 0) {
                i = (i + 1) & indexMask;
            }
        }
        idHi[s] = hi;
        idLo[s] = lo;
        newestSpan[s] = -1;
        spanCount[s] = 0;
        dropped[s] = 0;
        owner[s] = null;
        index[i] = s + 1;
        return s;
    }

    /** Deletes slot {@code s}'s entry from the index, shifting later entries of its probe run back. */
    private void remove(int s) {
        int i = home(idHi[s], idLo[s]);
        while (index[i] != s + 1) {
            i = (i + 1) & indexMask;
        }
        int hole = i;
        for (int j = (hole + 1) & indexMask; index[j] != 0; j = (j + 1) & indexMask) {
            int e = index[j] - 1;
            int h = home(idHi[e], idLo[e]);
            // the entry at j may fill the hole unless its home lies cyclically in (hole, j]
            boolean homeBetween = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j);
            if (!homeBetween) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
    }

    private int home(long hi, long lo) {
        long h = (hi ^ lo) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & indexMask;
    }
}
