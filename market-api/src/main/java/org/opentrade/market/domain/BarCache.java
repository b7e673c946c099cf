package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The newest closed bars of one symbol and interval, in memory, so recent K-lines never touch the
 * store. A ring of at most {@code capacity} bars in time order; adding a bar at or before the newest
 * one's time replaces or inserts it in place (a re-closed or imported bar), older bars fall off.
 * Single-threaded (the market context).
 */
public final class BarCache {
    private final Bar[] ring;
    private int start;
    private int size;
    /** Changes whenever a bar is added or replaced: encodings of a range made at one version stay valid until it moves. */
    private long version;

    public BarCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ring = new Bar[capacity];
    }

    private Bar at(int i) {
        return ring[(start + i) % ring.length];
    }

    public int size() {
        return size;
    }

    /** Time of the oldest cached bar, or {@code Long.MAX_VALUE} when empty. */
    public long oldestTime() {
        return size == 0 ? Long.MAX_VALUE : at(0).time();
    }

    /** A counter that changes with every {@link #add}: equal versions mean equal contents. */
    public long version() {
        return version;
    }

    /** Adds a closed bar (or replaces the cached one with its time). */
    public void add(Bar bar) {
        version++;
        if (size > 0 && bar.time() <= at(size - 1).time()) {
            int i = indexOfFirstAtOrAfter(bar.time());
            if (i < size && at(i).time() == bar.time()) {
                ring[(start + i) % ring.length] = bar;
                return;
            }
            if (i == 0 && size == ring.length) {
                return; // older than everything kept in a full cache: the store has it
            }
            List<Bar> tail = new ArrayList<>();
            for (int j = i; j < size; j++) {
                tail.add(at(j));
            }
            size = i;
            append(bar);
            tail.forEach(this::append);
            return;
        }
        append(bar);
    }

    /**
     * Replaces the cached bars with time in {@code [from, to)} by {@code bars} (time order, within the range), as an
     * import replaced that range in the store: a cached bar the import does not have is gone, not kept beside the
     * store. Of a cache that held only the newest bars (it was full), bars older than its oldest are left to the
     * store, so what it holds stays the store's newest bars without a gap.
     */
    public void replaceRange(long from, long to, List<Bar> bars) {
        version++;
        boolean everything = size < ring.length;
        long oldest = oldestTime();
        int lo = indexOfFirstAtOrAfter(from);
        int hi = Math.max(lo, indexOfFirstAtOrAfter(to));
        // One merge, O(cached + imported): on the market context (adding bar by bar moved the newer bars once
        // per imported bar, seconds for a 10 000-bar import into a full cache).
        List<Bar> merged = new ArrayList<>(lo + bars.size() + size - hi);
        for (int j = 0; j < lo; j++) {
            merged.add(at(j));
        }
        for (Bar b : bars) {
            if (everything || b.time() >= oldest) {
                merged.add(b);
            }
        }
        for (int j = hi; j < size; j++) {
            merged.add(at(j));
        }
        int keep = Math.min(ring.length, merged.size()); // the newest, as appending them one by one would keep
        start = 0;
        size = 0;
        for (int j = merged.size() - keep; j < merged.size(); j++) {
            ring[size++] = merged.get(j);
        }
        Arrays.fill(ring, size, ring.length, null);
    }

    private void append(Bar bar) {
        if (size == ring.length) {
            ring[start] = bar;
            start = (start + 1) % ring.length;
        } else {
            ring[(start + size) % ring.length] = bar;
            size++;
        }
    }

    private int indexOfFirstAtOrAfter(long time) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).time() < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The newest {@code limit} bars with time in {@code [from, to)}, oldest first. */
    public List<Bar> range(long from, long to, int limit) {
        int hi = indexOfFirstAtOrAfter(to);
        int lo = Math.max(indexOfFirstAtOrAfter(from), hi - limit);
        List<Bar> out = new ArrayList<>(Math.max(0, hi - lo));
        for (int i = lo; i < hi; i++) {
            out.add(at(i));
        }
        return out;
    }
}
