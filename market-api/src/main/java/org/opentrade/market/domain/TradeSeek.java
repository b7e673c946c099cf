package org.opentrade.market.domain;

/**
 * Finds where a trades page below a cursor starts, so a store reads from there instead of from the
 * newest trade: a page's cost then does not grow with how far back it is (paging N pages back read
 * N²/2 pages' worth of rows). Stores keep trades in time order and can only seek by time; the cursor
 * is a seq. One symbol lives on one shard and the exchange stamps a shard's events in seq order, so
 * for one symbol a later millisecond holds only higher seqs: a bisection over time with a probe
 * "the oldest trade from t on" finds the millisecond of the newest trade below the cursor in about
 * log2(span in ms) probes (about 35 for 120 days of history).
 *
 * <p>Stateless; runs on the caller's (store reading) thread.
 */
public final class TradeSeek {

    /** The oldest trade of a time range as a probe found it. */
    public record Hit(long ms, long seq, boolean minOfMs) {
    }

    /** What a store answers about one symbol's trades. Blocking reads. */
    public interface Probe {
        /**
         * The oldest trade with time in {@code [fromMs, toMs)}: its millisecond and a seq of that millisecond,
         * {@code minOfMs} when that seq is the lowest of the millisecond; null when there is none.
         */
        Hit oldest(long fromMs, long toMs);

        /** The lowest seq of the trades in millisecond {@code ms} ({@code Long.MAX_VALUE}: none). */
        long minSeq(long ms);

        /** The millisecond of the newest trade with time in {@code [fromMs, toMs)}, or -1 when there is none. */
        long newestMs(long fromMs, long toMs);
    }

    private TradeSeek() {
    }

    /**
     * An end {@code e ≤ end} for reading the trades with time in {@code [start, end)} and seq below
     * {@code beforeSeq}: those trades all have time before {@code e}, and the trades in {@code [start, e)} with
     * seq ≥ {@code beforeSeq} all lie in its last millisecond {@code e - 1} (the ties of the cursor's
     * millisecond). {@code end} itself when there is no cursor.
     */
    public static long endBefore(Probe probe, long start, long end, long beforeSeq) {
        if (beforeSeq == Long.MAX_VALUE || start >= end) {
            return end;
        }
        long newest = probe.newestMs(start, end);
        if (newest < 0) {
            return end;
        }
        // Invariants: no trade in [hi, end) has a seq below beforeSeq; lo is start or a millisecond
        // holding one that does.
        long lo = start;
        long hi = newest + 1;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            Hit hit = probe.oldest(mid, hi);
            if (hit == null) {
                hi = mid;
            } else if (hit.seq() < beforeSeq) {
                lo = hit.ms();
            } else if (hit.minOfMs()) {
                hi = mid; // nothing in [mid, hit.ms), and hit.ms on holds only higher seqs
            } else if (hit.ms() + 1 < hi) {
                hi = hit.ms() + 1; // hit.ms may still hold a lower seq than the one seen
            } else if (probe.minSeq(hit.ms()) < beforeSeq) {
                lo = hit.ms();
            } else {
                hi = mid;
            }
        }
        return hi;
    }
}
