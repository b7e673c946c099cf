package org.opentrade.gateway.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A bounded map that evicts the least recently used entry when full. Large caches are split into
 * {@value #SEGMENTS} segments by key hash, each with its own lock and an equal share of the capacity,
 * so event loops rarely wait on one another; eviction is then least recently used within a segment.
 * Small caches (under {@value #SEGMENT_ABOVE} entries) are one segment: exact LRU.
 *
 * <p>Thread-safe; each call holds one segment's lock for a map operation, never for I/O.
 */
final class LruCache<V> {
    static final int SEGMENTS = 16;
    static final int SEGMENT_ABOVE = 1_024;

    private final Segment<V>[] segments;

    @SuppressWarnings("unchecked")
    LruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        int n = capacity < SEGMENT_ABOVE ? 1 : SEGMENTS;
        segments = new Segment[n];
        for (int i = 0; i < n; i++) {
            segments[i] = new Segment<>((capacity + n - 1) / n);
        }
    }

    V get(String key) {
        Segment<V> s = segment(key);
        synchronized (s) {
            return s.get(key);
        }
    }

    void put(String key, V value) {
        Segment<V> s = segment(key);
        synchronized (s) {
            s.put(key, value);
        }
    }

    void remove(String key) {
        Segment<V> s = segment(key);
        synchronized (s) {
            s.remove(key);
        }
    }

    /** Removes every entry whose value matches: a scan, for rare events only. */
    void removeIf(Predicate<V> match) {
        for (Segment<V> s : segments) {
            synchronized (s) {
                s.values().removeIf(match);
            }
        }
    }

    /** Replaces every value by {@code f} of it, keeping the order of use: a scan, for rare events only. */
    void replaceAll(UnaryOperator<V> f) {
        for (Segment<V> s : segments) {
            synchronized (s) {
                s.replaceAll((k, v) -> f.apply(v));
            }
        }
    }

    int size() {
        int n = 0;
        for (Segment<V> s : segments) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    private Segment<V> segment(String key) {
        int h = key.hashCode();
        return segments[((h ^ (h >>> 16)) & 0x7fffffff) % segments.length];
    }

    private static final class Segment<V> extends LinkedHashMap<String, V> {
        private final int capacity;

        Segment(int capacity) {
            super(Math.min(capacity, 1 << 16), 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > capacity;
        }
    }
}
