package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest trades of one symbol in memory (the store may lag them by a flush interval), newest
 * read first. Single-threaded (the market context).
 */
public final class TradeRing {
    private final Trade[] ring;
    private int next;
    private int size;
    /** The newest trade pushed out of the ring, or null while none has been. */
    private Trade evicted;

    public TradeRing(int capacity) {
        this.ring = new Trade[capacity];
    }

    public void add(Trade t) {
        if (size == ring.length) {
            evicted = ring[next];
        }
        ring[next] = t;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    public int size() {
        return size;
    }

    /** Seq of the oldest trade held, or {@code Long.MAX_VALUE} when empty. */
    public long oldestSeq() {
        return size == 0 ? Long.MAX_VALUE : ring[(next - size + ring.length) % ring.length].seq();
    }

    /**
     * The newest trade the ring no longer holds, or null when it has dropped none: trades before the store caught
     * up to it are in neither place.
     */
    public Trade newestEvicted() {
        return evicted;
    }

    /** Up to {@code limit} trades with {@code seq < beforeSeq} and time in {@code [start, end)}, newest first. */
    public List<Trade> newest(long start, long end, long beforeSeq, int limit) {
        List<Trade> out = new ArrayList<>(Math.min(limit, size));
        for (int i = 1; i <= size && out.size() < limit; i++) {
            Trade t = ring[(next - i + ring.length) % ring.length];
            if (t.seq() < beforeSeq && t.time() >= start && t.time() < end) {
                out.add(t);
            }
        }
        return out;
    }

    /** The newest {@code n} trades (at most {@link #size}), oldest first. */
    public List<Trade> latest(int n) {
        int count = Math.min(Math.max(n, 0), size);
        List<Trade> out = new ArrayList<>(count);
        for (int i = count; i >= 1; i--) {
            out.add(ring[(next - i + ring.length) % ring.length]);
        }
        return out;
    }

    public int capacity() {
        return ring.length;
    }
}
