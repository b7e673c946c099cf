package org.opentrade.bench.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FixedRateScheduleTest {
    @Test
    void orderIIsDueIOverRateAfterTheStartWithoutRoundingDrift() {
        // 3 per second: a period of 333 333 333.3 ns; summing rounded periods would drift by 1 ns per 3 orders
        FixedRateSchedule s = FixedRateSchedule.of(1_000, 3, 0, 10);
        assertEquals(1_000, s.dueNanos(0));
        assertEquals(1_000 + 333_333_333, s.dueNanos(1));
        assertEquals(1_000 + 666_666_667, s.dueNanos(2));
        assertEquals(1_000 + 3_000_000_000L, s.dueNanos(9), "9 orders at 3/s: exactly 3 s after the start");
    }

    @Test
    void theWarmUpOrdersComeFirstAndAreNotMeasured() {
        FixedRateSchedule s = FixedRateSchedule.of(0, 1000, 2, 30);
        assertEquals(2_000, s.warmupOrders());
        assertEquals(32_000, s.totalOrders());
        assertEquals(30_000, s.measuredOrders());
        assertFalse(s.measured(1_999));
        assertTrue(s.measured(2_000));
        assertTrue(s.measured(31_999));
        assertFalse(s.measured(32_000), "past the run");
    }

    @Test
    void aRateThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FixedRateSchedule.of(0, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedRateSchedule.of(0, Double.NaN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedRateSchedule.of(0, 10, 1, 0));
    }
}
