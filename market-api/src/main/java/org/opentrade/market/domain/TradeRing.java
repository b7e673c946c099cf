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
    /** Neighbours held where seq does not rise (the exchange's data was reset); 0: seqs ascend, so seek. */
    private int descents;
    /** Trades looked at by {@link #newest} since the ring was made (tests: the work per page). */
    private long examined;

    public TradeRing(int capacity) {
        this.ring = new Trade[capacity];
    }

    public void add(Trade t) {
        if (size == ring.length) {
            evicted = at(0);
            if (size > 1 && at(1).seq() <= evicted.seq()) {
                descents--;
            }
            size--; // its slot, ring[next], takes t
        }
        if (size > 0 && t.seq() <= at(size - 1).seq()) {
            descents++;
        }
        ring[next] = t;
        next = (next + 1) % ring.length;
        size++;
    }

    /** The trade at {@code position}, 0 the oldest held. */
    private Trade at(int position) {
        return ring[(next - size + position + ring.length) % ring.length];
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

    /**
     * Up to {@code limit} trades with {@code seq < beforeSeq} and time in {@code [start, end)}, newest first.
     * Below a cursor it starts at the cursor (a binary search: seqs ascend in the ring), so a page deep in a
     * large ring costs what the first one does; it used to walk down from the newest trade every page.
     */
    public List<Trade> newest(long start, long end, long beforeSeq, int limit) {
        List<Trade> out = new ArrayList<>(Math.min(limit, size));
        for (int p = below(beforeSeq); p >= 0 && out.size() < limit; p--) {
            examined++;
            Trade t = at(p);
            if (t.seq() < beforeSeq && t.time() >= start && t.time() < end) {
                out.add(t);
            }
        }
        return out;
    }

    /** The position of the newest trade held with seq below {@code beforeSeq} (-1: none), or the newest's when the seqs do not ascend. */
    private int below(long beforeSeq) {
        if (descents > 0 || size == 0 || at(size - 1).seq() < beforeSeq) {
            return size - 1;
        }
        int lo = -1; // at(lo) < beforeSeq, or lo = -1
        int hi = size - 1; // at(hi) >= beforeSeq
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).seq() < beforeSeq) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Trades {@link #newest} has looked at, in all calls (tests: a page's work). */
    public long examined() {
        return examined;
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
