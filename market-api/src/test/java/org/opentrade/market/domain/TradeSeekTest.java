package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TradeSeekTest {

    /** Trades as (ms, seq), time order; seqs rise with time. Probes answer from them and count. */
    private static final class ListProbe implements TradeSeek.Probe {
        final List<long[]> trades;
        final boolean exact;
        int probes;

        ListProbe(List<long[]> trades, boolean exact) {
            this.trades = trades;
            this.exact = exact;
        }

        @Override
        public TradeSeek.Hit oldest(long fromMs, long toMs) {
            probes++;
            for (long[] t : trades) {
                if (t[0] >= fromMs && t[0] < toMs) {
                    // Not exact: the last trade of the millisecond, as a store ordered otherwise within it might give.
                    long seq = exact ? minSeq(t[0]) : trades.stream().filter(u -> u[0] == t[0]).mapToLong(u -> u[1]).max().orElseThrow();
                    return new TradeSeek.Hit(t[0], seq, exact);
                }
            }
            return null;
        }

        @Override
        public long minSeq(long ms) {
            return trades.stream().filter(t -> t[0] == ms).mapToLong(t -> t[1]).min().orElse(Long.MAX_VALUE);
        }

        @Override
        public long newestMs(long fromMs, long toMs) {
            probes++;
            long newest = -1;
            for (long[] t : trades) {
                if (t[0] >= fromMs && t[0] < toMs) {
                    newest = t[0];
                }
            }
            return newest;
        }
    }

    @Test
    void theEndIsJustPastTheNewestTradeBelowTheCursor() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            List<long[]> trades = new ArrayList<>();
            long ms = 1_767_576_600_000L + random.nextInt(1_000);
            long seq = 1 + random.nextInt(1_000);
            for (int i = 0, n = random.nextInt(60); i < n; i++) {
                ms += random.nextInt(4) == 0 ? random.nextInt(50_000_000) : random.nextInt(3);
                seq += 1 + random.nextInt(3);
                trades.add(new long[] {ms, seq});
            }
            long start = random.nextBoolean() ? 0 : trades.isEmpty() ? 0 : trades.get(random.nextInt(trades.size()))[0];
            long end = random.nextBoolean() ? Long.MAX_VALUE : start + random.nextInt(100_000_000);
            long before = random.nextInt(4) == 0 ? Long.MAX_VALUE : random.nextInt((int) seq + 10);
            for (boolean exact : new boolean[] {true, false}) {
                ListProbe probe = new ListProbe(trades, exact);
                long e = TradeSeek.endBefore(probe, start, end, before);
                String what = "round " + round + " exact " + exact + " e " + e;
                assertTrue(e <= end, what);
                long wanted = -1;
                for (long[] t : trades) {
                    if (t[0] >= start && t[0] < end && t[1] < before) {
                        wanted = t[0];
                        assertTrue(t[0] < e, what + ": a trade below the cursor is past the end");
                    }
                }
                for (long[] t : trades) {
                    if (t[0] >= start && t[0] < e && t[1] >= before) {
                        assertEquals(e - 1, t[0], what + ": a trade at or above the cursor before the end's millisecond");
                    }
                }
                if (before != Long.MAX_VALUE && wanted >= 0) {
                    assertEquals(wanted + 1, e, what);
                }
                assertTrue(probe.probes <= 70, what + ": " + probe.probes + " probes");
            }
        }
    }

    /**
     * Batched probes as InfluxDB answers them: the oldest point by time, where a point's time within its
     * millisecond is seq mod 1e6, so where seq passes a multiple of 1e6 inside a millisecond the oldest point
     * is not its lowest seq ({@code minOfMs} false); or, exact, the lowest seq of the oldest millisecond.
     */
    private static final class BatchListProbe implements TradeSeek.BatchProbe {
        final List<long[]> trades;
        final boolean exact;
        int calls;

        BatchListProbe(List<long[]> trades, boolean exact) {
            this.trades = trades;
            this.exact = exact;
        }

        @Override
        public List<TradeSeek.Hit> oldest(long[] fromMs, long toMs) {
            calls++;
            assertTrue(fromMs.length <= 16, "at most the fan-out per call");
            List<TradeSeek.Hit> hits = new ArrayList<>();
            for (int i = 0; i < fromMs.length; i++) {
                assertTrue(fromMs[i] < toMs && (i == 0 || fromMs[i - 1] < fromMs[i]), "ascending, below toMs");
                long[] best = null;
                for (long[] t : trades) {
                    if (t[0] >= fromMs[i] && t[0] < toMs && (best == null || t[0] < best[0]
                            || t[0] == best[0] && (exact ? t[1] < best[1] : t[1] % 1_000_000 < best[1] % 1_000_000))) {
                        best = t;
                    }
                }
                hits.add(best == null ? null : new TradeSeek.Hit(best[0], best[1], exact));
            }
            return hits;
        }
    }

    @Test
    void batchedSeekLeavesAtMostTwoMillisecondsOfTradesAtOrAboveTheCursorBeforeItsEnd() {
        Random random = new Random(12);
        int wraps = 0;
        for (int round = 0; round < 600; round++) {
            List<long[]> trades = new ArrayList<>();
            long ms = 1_767_576_600_000L + random.nextInt(1_000);
            // Near a multiple of 1e6 half the time, so that seq passes it inside a millisecond of several trades.
            long seq = random.nextBoolean() ? 1_000_000L * (1 + random.nextInt(5)) - random.nextInt(40) : 1 + random.nextInt(1_000);
            for (int i = 0, n = random.nextInt(80); i < n; i++) {
                ms += random.nextInt(4) == 0 ? random.nextInt(50_000_000) : random.nextInt(3);
                seq += 1 + random.nextInt(3);
                trades.add(new long[] {ms, seq});
            }
            for (int i = 1; i < trades.size(); i++) {
                if (trades.get(i)[0] == trades.get(i - 1)[0] && trades.get(i)[1] / 1_000_000 != trades.get(i - 1)[1] / 1_000_000) {
                    wraps++;
                }
            }
            long start = random.nextBoolean() || trades.isEmpty() ? 0 : trades.get(random.nextInt(trades.size()))[0];
            long end = random.nextBoolean() ? Long.MAX_VALUE : start + random.nextInt(100_000_000);
            long before = random.nextInt(8) == 0 ? Long.MAX_VALUE : seq - random.nextInt((int) Math.min(seq, 200) + 5) + 2;
            long newest = -1;
            for (long[] t : trades) {
                newest = t[0] >= start && t[0] < end ? t[0] : newest;
            }
            long hi = newest < 0 ? start : newest + 1; // as a store passes it: the newest trade in the range, + 1
            for (boolean exact : new boolean[] {true, false}) {
                BatchListProbe probe = new BatchListProbe(trades, exact);
                long e = TradeSeek.endBefore(probe, start, hi, before, 16);
                String what = "round " + round + " exact " + exact + " e " + e + " before " + before;
                assertTrue(e >= start && e <= hi, what);
                long wanted = -1;
                for (long[] t : trades) {
                    if (t[0] >= start && t[0] < end && t[1] < before) {
                        wanted = t[0];
                        assertTrue(t[0] < e, what + ": a trade below the cursor is past the end");
                    }
                }
                for (long[] t : trades) {
                    if (t[0] >= start && t[0] < e && t[1] >= before) {
                        // lo stays start when no trade is below the cursor: start's millisecond is never probed.
                        long last = wanted >= 0 ? wanted : start;
                        assertTrue(t[0] == e - 1 || t[0] == last, what + ": a trade at or above the cursor at " + t[0]
                                + ", neither the end's millisecond nor " + last);
                    }
                }
                // 16 probes a call: about log17 of the span (up to ~4e9 ms here: 8), and one more to settle.
                assertTrue(probe.calls <= 10, what + ": " + probe.calls + " calls");
            }
        }
        assertTrue(wraps > 20, "seq passed a multiple of 1e6 inside a millisecond in some rounds: " + wraps);
    }

    @Test
    void batchedSeekOfADayOfDenseTradesTakesAHandfulOfCalls() {
        List<long[]> trades = new ArrayList<>();
        long t0 = 1_767_576_600_000L;
        for (int i = 0; i < 86_400; i++) {
            trades.add(new long[] {t0 + i * 1_000L, 10L * i}); // a trade a second for a day
        }
        for (long before : new long[] {5, 10 * 43_200 + 3, 10 * 86_399}) {
            BatchListProbe probe = new BatchListProbe(trades, false);
            long e = TradeSeek.endBefore(probe, t0, t0 + 86_400_000L, before, 16);
            long below = trades.stream().filter(t -> t[1] < before).mapToLong(t -> t[0]).max().orElseThrow();
            // Probes are not exact (minOfMs false): the next trade's millisecond may stay before the end.
            assertTrue(e > below && e <= below + 1_001, "end " + e + " just past " + below);
            assertTrue(probe.calls <= 7, probe.calls + " calls for a span of 8.6e7 ms (log17: 6.4)");
        }
    }
}
