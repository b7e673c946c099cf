package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The all-in-one's readiness: every API answers, or the reason names the first part that does not. */
class AllInOneReadinessTest {
    @Test
    void readyOnlyWhenTheExchangeMarketApiAndTradeApiAreAllReady() {
        assertNull(AllInOne.whyNotReady(() -> true, () -> true, () -> true));
        assertEquals(AllInOne.OPERATIONS_NOT_READY, AllInOne.whyNotReady(() -> false, () -> true, () -> true));
        assertEquals(AllInOne.MARKET_NOT_READY, AllInOne.whyNotReady(() -> true, () -> false, () -> true));
        assertEquals(AllInOne.TRADE_NOT_READY, AllInOne.whyNotReady(() -> true, () -> true, () -> false));
    }

    @Test
    void theReasonNamesTheFirstPartNotReadyInStartOrder() {
        // The exchange first (both services wait for it), then market-api's backfill, then trade-api.
        assertEquals(AllInOne.OPERATIONS_NOT_READY, AllInOne.whyNotReady(() -> false, () -> false, () -> false));
        assertEquals(AllInOne.MARKET_NOT_READY, AllInOne.whyNotReady(() -> true, () -> false, () -> false));
    }
}
