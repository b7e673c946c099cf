package org.opentrade.market.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BarCacheTest {
    private static final long T0 = 1_780_000_000_000L;

    private static Bar bar(long minute, long close) {
        return new Bar("600519.SH", Interval.M1, T0 + minute * 60_000, close, close, close, close, 100, close * 100, 1, 50);
    }

    private static List<Long> minutes(BarCache cache) {
        List<Long> out = new ArrayList<>();
        cache.range(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE).forEach(b -> out.add((b.time() - T0) / 60_000));
        return out;
    }

    @Test
    void anImportedRangeReplacesTheCachedOneAndABarItLeftOutIsGone() {
        BarCache cache = new BarCache(100);
        for (int m = 0; m < 10; m++) {
            cache.add(bar(m, 1_000 + m));
        }
        long version = cache.version();

        // The store's range [3, 7) now holds minutes 3, 5 and 6: minute 4 was left out by the import.
        cache.replaceRange(T0 + 3 * 60_000, T0 + 7 * 60_000, List.of(bar(3, 7), bar(5, 7), bar(6, 7)));

        assertEquals(List.of(0L, 1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L), minutes(cache));
        assertEquals(7, cache.range(T0 + 5 * 60_000, T0 + 6 * 60_000, 10).get(0).close());
        assertEquals(1_008, cache.range(T0 + 8 * 60_000, T0 + 9 * 60_000, 10).get(0).close());
        assertNotEquals(version, cache.version(), "encodings made before are stale");
    }

    @Test
    void aFullCacheLeavesImportedBarsOlderThanItsOldestToTheStore() {
        BarCache cache = new BarCache(5);
        for (int m = 10; m < 20; m++) {
            cache.add(bar(m, 1_000 + m)); // keeps 15..19: the store has the older ones
        }

        cache.replaceRange(T0 + 12 * 60_000, T0 + 17 * 60_000, List.of(bar(12, 7), bar(14, 7), bar(16, 7)));

        assertEquals(List.of(16L, 17L, 18L, 19L), minutes(cache), "12 and 14 would leave a gap before 16");
    }

    @Test
    void aCacheHoldingEverythingTakesImportedBarsOlderThanItsOldest() {
        BarCache cache = new BarCache(50);
        for (int m = 10; m < 15; m++) {
            cache.add(bar(m, 1_000 + m));
        }

        cache.replaceRange(T0 + 5 * 60_000, T0 + 12 * 60_000, List.of(bar(5, 7), bar(11, 7)));

        assertEquals(List.of(5L, 11L, 12L, 13L, 14L), minutes(cache));
    }

    /**
     * Re-importing the older half of a full cache is one merge on the market context, O(cached + imported): bar by
     * bar it moved every newer bar once per imported bar (2.6 s for 10 000 of 20 000; this case took 6 s).
     * The bound is generous for a loaded machine and far below the quadratic cost.
     */
    @Test
    void replacingTheOlderHalfOfAFullCacheIsOneMerge() {
        int capacity = 40_000;
        BarCache cache = new BarCache(capacity);
        for (int m = 0; m < capacity; m++) {
            cache.add(bar(m, 1_000));
        }
        List<Bar> older = new ArrayList<>();
        for (int m = 0; m < capacity / 2; m++) {
            older.add(bar(m, 7));
        }

        assertTimeout(Duration.ofSeconds(2), () -> cache.replaceRange(T0, T0 + capacity / 2 * 60_000L, older));

        List<Bar> all = cache.range(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(capacity, all.size());
        assertEquals(7, all.get(capacity / 2 - 1).close());
        assertEquals(1_000, all.get(capacity / 2).close());
    }

    /** On seeded random caches (wrapped rings, full or not): what adding each imported bar into the range kept. */
    @Test
    void aReplacedRangeKeepsTheNewestBarsOfCacheAndImportMerged() {
        Random random = new Random(42);
        for (int run = 0; run < 500; run++) {
            int capacity = 1 + random.nextInt(12);
            BarCache cache = new BarCache(capacity);
            List<Long> model = new ArrayList<>();
            for (int m = 0, n = random.nextInt(30); m < n; m++) {
                long minute = m * 2L + random.nextInt(2);
                cache.add(bar(minute, 1));
                model.add(minute);
            }
            model = new ArrayList<>(model.subList(Math.max(0, model.size() - capacity), model.size()));
            long from = random.nextInt(70) - 5;
            long to = from + random.nextInt(20);
            boolean full = model.size() == capacity;
            long oldest = model.isEmpty() ? Long.MAX_VALUE : model.get(0);
            List<Bar> imported = new ArrayList<>();
            for (long m = from; m < to; m++) {
                if (random.nextBoolean()) {
                    imported.add(bar(m, 2));
                }
            }
            final long f = from;
            final long t = to;
            model.removeIf(m -> m >= f && m < t);
            imported.stream().map(b -> (b.time() - T0) / 60_000).filter(m -> !full || m >= oldest).forEach(model::add);
            model.sort(null);
            model = model.subList(Math.max(0, model.size() - capacity), model.size());

            cache.replaceRange(T0 + from * 60_000, T0 + to * 60_000, imported);

            assertEquals(model, minutes(cache), "run " + run);
        }
    }
}
