package org.opentrade.trade.domain.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplaceHoldsTest {
    final ReplaceHolds holds = new ReplaceHolds();

    @Test
    void aHoldLastsUntilTheLastPendingReplaceOfItsOrderIsAnswered() {
        holds.hold(7, "a", "600000.SH", true, 45_000);
        holds.hold(7, "a", "600000.SH", true, 10_000); // a smaller second replace: the larger stays held
        assertEquals(45_000, holds.cash("a"));
        holds.answered(7);
        assertEquals(45_000, holds.cash("a"), "one replace still pending");
        holds.answered(7);
        assertEquals(0, holds.cash("a"));
        assertEquals(0, holds.size());
        holds.answered(7); // an answer with nothing held changes nothing
        assertEquals(0, holds.cash("a"));
    }

    @Test
    void aReplaceAskingNothingMoreStillCountsAsPending() {
        holds.hold(1, "a", "600000.SH", true, 0);
        holds.hold(1, "a", "600000.SH", true, 500);
        holds.answered(1); // the first replace's event: the second, which asked more, is still pending
        assertEquals(500, holds.cash("a"));
    }

    @Test
    void sellsHoldSharesPerSymbolAndClosingOrResettingReleasesEverything() {
        holds.hold(1, "a", "600000.SH", false, 200);
        holds.hold(2, "a", "000001.SZ", false, 100);
        holds.hold(3, "a", "600000.SH", true, 1_000);
        holds.hold(4, "b", "600000.SH", true, 9_000);
        assertEquals(200, holds.shares("a", "600000.SH"));
        assertEquals(100, holds.shares("a", "000001.SZ"));
        assertEquals(0, holds.shares("b", "600000.SH"));
        holds.closed(1);
        assertEquals(0, holds.shares("a", "600000.SH"));
        holds.dropAccount("a");
        assertEquals(0, holds.cash("a"));
        assertEquals(0, holds.shares("a", "000001.SZ"));
        assertEquals(9_000, holds.cash("b"), "another account's hold stays");
        assertEquals(1, holds.size());
    }
}
