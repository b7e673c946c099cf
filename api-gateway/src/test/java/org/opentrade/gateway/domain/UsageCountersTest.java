package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageCountersTest {

    private final UsageCounters counters = new UsageCounters();

    @Test
    void aDrainTakesEverythingOnceAndStatusesFallIntoTheirClasses() {
        counters.add(new UsageSample("k", "r", 7, 200, 10));
        counters.add(new UsageSample("k", "r", 7, 399, 30));
        counters.add(new UsageSample("k", "r", 7, 400, 5));
        counters.add(new UsageSample("k", "r", 7, 599, 1));

        assertEquals(List.of(new UsageRow("k", "r", 7, 2, 1, 1, 46, 30)), counters.drain());
        assertEquals(List.of(), counters.drain());
    }

    @Test
    void peekShowsWithoutTaking() {
        counters.add(new UsageSample("k", "r", 7, 200, 10));

        assertEquals(1, counters.peek(r -> true).size());
        assertEquals(List.of(), counters.peek(r -> r.keyId().equals("other")));
        assertEquals(1, counters.drain().size());
    }

    @Test
    void aRowCountedBackIsDrainedAgain() {
        UsageRow failed = new UsageRow("k", "r", 7, 3, 2, 1, 600, 400);
        counters.add(new UsageSample("k", "r", 7, 200, 500));

        counters.add(failed);

        assertEquals(List.of(new UsageRow("k", "r", 7, 4, 2, 1, 1100, 500)), counters.drain());
    }

    @Test
    void anIdleSlotIsForgottenAndComesBackWhenUsedAgain() {
        counters.add(new UsageSample("k", "r", 7, 200, 10));
        counters.drain();
        assertEquals(List.of(), counters.drain()); // idle: retired here
        assertTrue(counters.peek(r -> true).isEmpty());

        counters.add(new UsageSample("k", "r", 7, 500, 20));

        assertEquals(List.of(new UsageRow("k", "r", 7, 0, 0, 1, 20, 20)), counters.drain());
    }
}
