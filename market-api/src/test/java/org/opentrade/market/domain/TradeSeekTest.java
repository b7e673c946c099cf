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
}
