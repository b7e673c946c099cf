package org.opentrade.exchange.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The primitive map against java.util.HashMap, through growth, replacements and backward-shift deletions. */
class LongMapTest {

    /** Keys that collide in runs and wrap around the table, plus the extremes and zero. */
    private static long key(SplittableRandom r) {
        return switch (r.nextInt(16)) {
            case 0 -> Long.MIN_VALUE + r.nextInt(3);
            case 1 -> Long.MAX_VALUE - r.nextInt(3);
            case 2 -> -r.nextInt(500);
            case 3 -> 0;
            default -> r.nextInt(20_000) * 1024L; // same low bits: only the hash spreads them
        };
    }

    @Test
    void answersAsAHashMapDoesUnderRandomPutsReplacesAndRemoves() {
        SplittableRandom r = new SplittableRandom(17);
        LongMap<String> map = new LongMap<>(4);
        Map<Long, String> expected = new HashMap<>();
        for (int i = 0; i < 300_000; i++) {
            long k = key(r);
            switch (r.nextInt(3)) {
                case 0 -> {
                    String v = "v" + i;
                    assertSame(expected.put(k, v), map.put(k, v), "put " + k);
                }
                case 1 -> assertSame(expected.remove(k), map.remove(k), "remove " + k);
                default -> assertSame(expected.get(k), map.get(k), "get " + k);
            }
            assertEquals(expected.size(), map.size());
        }
        Set<String> visited = new HashSet<>();
        map.forEach(visited::add);
        assertEquals(new HashSet<>(expected.values()), visited);
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            assertSame(e.getValue(), map.get(e.getKey()));
        }
    }

    @Test
    void clearedItHoldsNothingAndTakesEntriesAgain() {
        LongMap<Integer> map = new LongMap<>(2);
        for (int i = 0; i < 1_000; i++) {
            map.put(i * 31L, i);
        }
        map.clear();
        assertEquals(0, map.size());
        assertNull(map.get(31));
        assertNull(map.remove(31));
        map.put(31, 7);
        assertEquals(7, map.get(31));
        assertEquals(1, map.size());
    }

    @Test
    void aNullValueIsRefusedForNullMeansAbsent() {
        LongMap<String> map = new LongMap<>(16);
        assertThrows(NullPointerException.class, () -> map.put(1, null));
        assertEquals(0, map.size());
    }
}
