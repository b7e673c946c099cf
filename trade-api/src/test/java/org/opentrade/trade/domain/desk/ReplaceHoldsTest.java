package org.opentrade.trade.domain.desk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplaceHoldsTest {
    final ReplaceHolds holds = new ReplaceHolds();

    @Test
    void aHoldLastsUntilTheLastPendingReplaceOfItsOrderIsAnswered() {
        holds.hold(7, "a", "600000.SH", true, 45_000, 100, 1000, 0);
        holds.hold(7, "a", "600000.SH", true, 10_000, 100, 1000, 0); // a smaller second replace: the larger stays held
        assertEquals(45_000, holds.cash("a", 0));
        holds.answered(7);
        assertEquals(45_000, holds.cash("a", 0), "one replace still pending");
        holds.answered(7);
        assertEquals(0, holds.cash("a", 0));
        assertEquals(0, holds.size());
        holds.answered(7); // an answer with nothing held changes nothing
        assertEquals(0, holds.cash("a", 0));
    }

    @Test
    void aReplaceAskingNothingMoreStillCountsAsPending() {
        holds.hold(1, "a", "600000.SH", true, 0, 100, 1000, 0);
        holds.hold(1, "a", "600000.SH", true, 500, 100, 1000, 0);
        holds.answered(1); // the first replace's event: the second, which asked more, is still pending
        assertEquals(500, holds.cash("a", 0));
    }

    @Test
    void sellsHoldSharesPerSymbolAndClosingOrResettingReleasesEverything() {
        holds.hold(1, "a", "600000.SH", false, 200, 100, 1000, 0);
        holds.hold(2, "a", "000001.SZ", false, 100, 100, 1000, 0);
        holds.hold(3, "a", "600000.SH", true, 1_000, 100, 1000, 0);
        holds.hold(4, "b", "600000.SH", true, 9_000, 100, 1000, 0);
        assertEquals(200, holds.shares("a", "600000.SH", 0));
        assertEquals(100, holds.shares("a", "000001.SZ", 0));
        assertEquals(0, holds.shares("b", "600000.SH", 0));
        holds.closed(1);
        assertEquals(0, holds.shares("a", "600000.SH", 0));
        holds.dropAccount("a");
        assertEquals(0, holds.cash("a", 0));
        assertEquals(0, holds.shares("a", "000001.SZ", 0));
        assertEquals(9_000, holds.cash("b", 0), "another account's hold stays");
        assertEquals(1, holds.size());
    }

    @Test
    void aHoldWhoseAnswerWasLostEndsAfterItsMaximumAndALaterReplaceHoldsAnew() {
        holds.hold(5, "a", "600000.SH", true, 50_000, 100, 1000, 1_000); // its command timed out: no answer will come
        assertEquals(50_000, holds.cash("a", 1_000 + ReplaceHolds.MAX_HOLD_MS - 1));
        assertEquals(0, holds.cash("a", 1_000 + ReplaceHolds.MAX_HOLD_MS), "not until the order closes");
        assertEquals(0, holds.size());
        holds.hold(5, "a", "600000.SH", true, 1_000, 100, 1000, 40_000);
        assertEquals(1_000, holds.cash("a", 40_000), "a later replace holds its own extra, not the lost one's");
        holds.answered(5);
        assertEquals(0, holds.cash("a", 40_001));
    }

    @Test
    void thePendingTargetIsTheLatestReplaceAskedUntilTheLastIsAnswered() {
        assertEquals(null, holds.pendingTarget(9, 0), "no replace pending");
        holds.hold(9, "a", "600000.SH", true, 0, 100, 3_860, 0);
        holds.hold(9, "a", "600000.SH", true, 0, 200, 3_860, 0);
        assertArrayEquals(new long[] {200, 3_860}, holds.pendingTarget(9, 0));
        holds.answered(9);
        assertArrayEquals(new long[] {200, 3_860}, holds.pendingTarget(9, 0), "one still pending");
        holds.answered(9);
        assertEquals(null, holds.pendingTarget(9, 0));
    }
}
