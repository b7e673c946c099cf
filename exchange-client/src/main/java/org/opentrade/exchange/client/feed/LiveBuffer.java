package org.opentrade.exchange.client.feed;

import java.util.Map;
import java.util.TreeMap;
import org.opentrade.exchange.model.FeedBatch;

/**
 * Live batches that arrived while a shard was resuming, ordered by first sequence (so reordered
 * arrivals drain in order) and bounded by event count. Holds references, never copies. Not
 * thread-safe: the consumer's thread only.
 */
final class LiveBuffer {
    private final TreeMap<Long, FeedBatch> byFirstSeq = new TreeMap<>();
    private final int maxEvents;
    private long events;

    LiveBuffer(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /**
     * Keeps a non-empty batch (of two with the same first sequence, the longer). Returns false when
     * the bound was exceeded: then everything held before was dropped (the replay will bring it), and
     * {@code batch} is kept if it fits alone.
     */
    boolean add(FeedBatch batch) {
        FeedBatch same = byFirstSeq.get(batch.firstSeq());
        if (same != null) {
            if (same.lastSeq() >= batch.lastSeq()) {
                return true;
            }
            byFirstSeq.remove(batch.firstSeq());
            events -= same.events().size();
        }
        int size = batch.events().size();
        boolean fits = events + size <= maxEvents;
        if (!fits) {
            clear();
        }
        if (size <= maxEvents) {
            byFirstSeq.put(batch.firstSeq(), batch);
            events += size;
        }
        return fits;
    }

    /** The batch with the lowest first sequence, or null. */
    FeedBatch first() {
        Map.Entry<Long, FeedBatch> e = byFirstSeq.firstEntry();
        return e == null ? null : e.getValue();
    }

    void removeFirst() {
        Map.Entry<Long, FeedBatch> e = byFirstSeq.pollFirstEntry();
        if (e != null) {
            events -= e.getValue().events().size();
        }
    }

    boolean isEmpty() {
        return byFirstSeq.isEmpty();
    }

    long events() {
        return events;
    }

    void clear() {
        byFirstSeq.clear();
        events = 0;
    }
}
