package org.opentrade.trade.domain.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The clock is a number passed in: no sleeps, no timing. */
class OrderRateLimiterTest {

    @Test
    void theOrderAfterTheMaximumWaitsUntilTheOldestLeavesTheSecond() {
        OrderRateLimiter limiter = new OrderRateLimiter(3, 10);
        assertTrue(limiter.tryAcquire("a", 0));
        assertTrue(limiter.tryAcquire("a", 400));
        assertTrue(limiter.tryAcquire("a", 999));
        assertFalse(limiter.tryAcquire("a", 999));
        assertEquals(1, limiter.retryAfterMs("a", 999)); // the order at 0 counts until 999 inclusive
        assertTrue(limiter.tryAcquire("a", 1_000));
        assertFalse(limiter.tryAcquire("a", 1_399));
        assertEquals(1, limiter.retryAfterMs("a", 1_399));
        assertTrue(limiter.tryAcquire("a", 1_400));
        assertEquals(3, limiter.inWindow("a", 1_400));
    }

    @Test
    void accountsHaveTheirOwnWindows() {
        OrderRateLimiter limiter = new OrderRateLimiter(1, 10);
        assertTrue(limiter.tryAcquire("a", 0));
        assertFalse(limiter.allows("a", 10));
        assertTrue(limiter.allows("b", 10));
        assertEquals(0, limiter.retryAfterMs("b", 10));
    }

    @Test
    void noOneSecondWindowEverHoldsMoreThanTheMaximumAndNothingIsRefusedNeedlessly() {
        int max = 7;
        OrderRateLimiter limiter = new OrderRateLimiter(max, 10);
        Random random = new Random(20_260_105L);
        List<Long> accepted = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            t += random.nextInt(4) == 0 ? random.nextInt(400) : random.nextInt(20);
            long now = t;
            boolean ok = limiter.tryAcquire("a", now);
            long inWindow = 0; // accepted times only grow: count back from the newest
            for (int k = accepted.size() - 1; k >= 0 && now - accepted.get(k) < 1_000; k--) {
                inWindow++;
            }
            // Independent count over everything accepted so far: refused exactly when the window is full.
            assertEquals(inWindow < max, ok, "at " + now + " with " + inWindow + " in the window");
            if (ok) {
                accepted.add(now);
            }
        }
        assertTrue(accepted.size() > 1_000, "the stream should be accepted in part, was " + accepted.size());
    }

    @Test
    void beyondTheAccountBoundTheLeastRecentlyActiveAccountIsForgotten() {
        OrderRateLimiter limiter = new OrderRateLimiter(1, 2);
        limiter.record("a", 0);
        limiter.record("b", 1);
        assertFalse(limiter.allows("a", 2)); // touches a: b is now the least recent
        limiter.record("c", 3);
        assertEquals(2, limiter.trackedAccounts());
        assertTrue(limiter.allows("b", 4), "b was forgotten");
        assertFalse(limiter.allows("a", 4), "a is still remembered");
    }

    @Test
    void aClockSteppingBackDoesNotReopenAFullWindow() {
        OrderRateLimiter limiter = new OrderRateLimiter(2, 10);
        limiter.record("a", 10_000);
        limiter.record("a", 10_000);
        assertFalse(limiter.allows("a", 0));
        assertFalse(limiter.allows("a", 10_999));
        assertEquals(1_000, limiter.retryAfterMs("a", 5_000));
        assertTrue(limiter.allows("a", 11_000));
    }

    @Test
    void aZeroOrNegativeBoundFailsFast() {
        assertThrows(IllegalArgumentException.class, () -> new OrderRateLimiter(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new OrderRateLimiter(10, 0));
    }
}
