package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Side;

class TradeRingTest {
    private static final long T0 = 1_767_576_600_000L;

    private static Trade trade(long seq, long time) {
        return new Trade(0, seq, "600000.SH", time, 1000, 100, Side.BUY);
    }

    /** What {@link TradeRing#newest} answers: a walk down from the newest trade. */
    private static List<Trade> reference(List<Trade> held, long start, long end, long beforeSeq, int limit) {
        List<Trade> out = new ArrayList<>();
        for (int i = held.size() - 1; i >= 0 && out.size() < limit; i--) {
            Trade t = held.get(i);
            if (t.seq() < beforeSeq && t.time() >= start && t.time() < end) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void aDeepPageLooksAtNoMoreTradesThanTheFirst() {
        TradeRing ring = new TradeRing(100_000);
        for (int seq = 1; seq <= 150_000; seq++) {
            ring.add(trade(seq * 2L, T0 + seq / 3));
        }
        int limit = 100;
        long cursor = Long.MAX_VALUE;
        List<Long> perPage = new ArrayList<>();
        int pages = 0;
        while (true) {
            long before = ring.examined();
            List<Trade> page = ring.newest(0, Long.MAX_VALUE, cursor, limit);
            perPage.add(ring.examined() - before);
            pages++;
            if (page.size() < limit) {
                break;
            }
            assertEquals(cursor == Long.MAX_VALUE ? 300_000 : cursor - 2, page.get(0).seq(), "pages follow each other");
            cursor = page.get(page.size() - 1).seq();
        }
        assertEquals(1_001, pages);
        assertTrue(perPage.stream().allMatch(n -> n <= limit), "trades looked at per page: " + perPage.subList(990, 1_001));
    }

    @Test
    void answersAsAWalkFromTheNewestWouldWhetherOrNotSeqsAscend() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int capacity = 1 + random.nextInt(40);
            TradeRing ring = new TradeRing(capacity);
            List<Trade> added = new ArrayList<>();
            long seq = random.nextInt(5);
            for (int i = 0, n = random.nextInt(120); i < n; i++) {
                // Mostly rising seqs; now and then the exchange's data is reset and they start over.
                seq = random.nextInt(30) == 0 ? random.nextInt(10) : seq + 1 + random.nextInt(3);
                Trade t = trade(seq, T0 + i / 2);
                ring.add(t);
                added.add(t);
                List<Trade> held = added.subList(Math.max(0, added.size() - capacity), added.size());
                long cursor = random.nextBoolean() ? Long.MAX_VALUE : random.nextInt((int) seq + 5);
                long start = random.nextBoolean() ? 0 : T0 + random.nextInt(40);
                long end = random.nextBoolean() ? Long.MAX_VALUE : start + random.nextInt(40);
                int limit = 1 + random.nextInt(10);
                assertEquals(reference(held, start, end, cursor, limit), ring.newest(start, end, cursor, limit),
                        "round " + round + " after " + added.size() + " trades, cursor " + cursor);
            }
        }
    }
}
