package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IntentPruningTest {
    private static final long MIN = 60_000;

    @Test
    void nothingIsPrunedUntilTheStoreKeepsOnlyThisProcesssSnapshots() {
        IntentPruning p = new IntentPruning(2, 0);
        assertEquals(OptionalLong.empty(), p.stored(10, 0), "one of its own: the store may still hold an older one");
        assertEquals(OptionalLong.of(10), p.stored(20, MIN), "the store holds 10 and 20: through 10");
        assertEquals(OptionalLong.of(20), p.stored(30, 2 * MIN));
        assertEquals(OptionalLong.of(30), p.stored(30, 3 * MIN), "no intent since: the store holds 30 twice");
        assertEquals(OptionalLong.empty(), p.stored(30, 4 * MIN), "the cut has not moved");
    }

    @Test
    void theOldestKeptSnapshotMustBeOlderThanTheRetention() {
        IntentPruning p = new IntentPruning(2, 10 * MIN);
        assertEquals(OptionalLong.empty(), p.stored(10, 0));
        assertEquals(OptionalLong.empty(), p.stored(20, MIN), "10 is kept but only a minute old");
        assertEquals(OptionalLong.empty(), p.stored(30, 9 * MIN));
        assertEquals(OptionalLong.of(10), p.stored(40, 10 * MIN), "10 is ten minutes old now");
        assertEquals(OptionalLong.of(30), p.stored(50, 19 * MIN), "30 is the oldest kept one old enough");
    }

    @Test
    void keepingOneSnapshotPrunesThroughTheNewest() {
        IntentPruning p = new IntentPruning(1, 0);
        assertEquals(OptionalLong.of(7), p.stored(7, 0));
        assertEquals(OptionalLong.of(9), p.stored(9, 1));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IntentPruning(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new IntentPruning(1, -1));
    }
}
