package org.opentrade.market.domain;

import java.util.List;

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

    /**
     * {@link Probe#oldest} asked for several ranges at once, for a store where each question is a round trip
     * and several go in one (InfluxDB: statements of one {@code /query} request). Blocking.
     */
    public interface BatchProbe {
        /**
         * For each {@code fromMs[i]} (ascending, each below {@code toMs}) the oldest trade with time in
         * {@code [fromMs[i], toMs)}, or null when there is none; one element per {@code fromMs}, in order.
         */
        List<Hit> oldest(long[] fromMs, long toMs);
    }

    private TradeSeek() {
    }

    /**
     * A k-ary form of {@link #endBefore(Probe, long, long, long)} that asks {@code fanOut} probes per
     * {@link BatchProbe#oldest} call, so finding the cursor's millisecond takes about
     * log(span in ms) / log(fanOut + 1) calls (16 probes: 9 for 120 days) instead of about 35. It needs no
     * {@link Probe#minSeq}: a probe that is not {@link Hit#minOfMs} leaves its millisecond undecided, which
     * costs the reader that one millisecond's trades, not another call.
     *
     * <p>Given {@code lo ≤ hi} such that no trade in {@code [start, lo)} has a seq at or above {@code beforeSeq}
     * and no trade from {@code hi} on has one below it (with {@code lo = start} and {@code hi = end} if nothing
     * is known), returns {@code e} with {@code lo ≤ e ≤ hi}: every trade below the cursor is before {@code e},
     * and the trades before {@code e} at or above it all lie in at most two milliseconds: {@code e - 1} and that of
     * the newest trade below the cursor (its ties), or {@code lo} when no trade from {@code lo} on is below it.
     */
    public static long endBefore(BatchProbe probe, long lo, long hi, long beforeSeq, int fanOut) {
        if (fanOut < 1) {
            throw new IllegalArgumentException("fanOut must be 1 or more, not " + fanOut);
        }
        if (beforeSeq == Long.MAX_VALUE || lo >= hi) {
            return hi;
        }
        // Invariants: the trades at or above the cursor before hi lie in lo or from lo + 1 on; lo holds a trade
        // below it (or is where the caller's knowledge starts); [gap, hi - 1) holds no trade. Undecided: (lo, gap).
        long gap = hi - 1;
        while (gap - lo > 1) {
            long span = gap - lo;
            int n = (int) Math.min(fanOut, span - 1);
            // n probes split the span - 1 undecided milliseconds into n + 1 pieces as even as can be.
            long q = (span - 1) / (n + 1);
            long r = (span - 1) % (n + 1);
            long[] from = new long[n];
            for (int i = 0; i < n; i++) {
                from[i] = lo + 1 + q * (i + 1) + r * (i + 1) / (n + 1);
            }
            List<Hit> hits = probe.oldest(from, hi);
            long newLo = lo;
            long newHi = hi;
            long newGap = gap;
            for (int i = 0; i < n; i++) {
                Hit hit = hits.get(i);
                if (hit == null) {
                    newHi = Math.min(newHi, from[i]);
                } else if (hit.seq() < beforeSeq) {
                    newLo = Math.max(newLo, hit.ms());
                } else if (hit.minOfMs()) {
                    newHi = Math.min(newHi, from[i]); // hit.ms on holds only seqs at or above the cursor
                } else {
                    newHi = Math.min(newHi, hit.ms() + 1);
                    if (hit.ms() + 1 == newHi) {
                        newGap = Math.min(newGap, from[i]); // nothing in [from[i], hit.ms)
                    }
                }
            }
            lo = newLo;
            hi = newHi;
            gap = Math.min(newGap, hi - 1);
            if (hi <= lo + 1) {
                break;
            }
        }
        return hi;
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
