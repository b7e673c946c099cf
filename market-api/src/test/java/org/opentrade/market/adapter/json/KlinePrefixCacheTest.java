package org.opentrade.market.adapter.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.BarCache;
import org.opentrade.market.domain.Interval;

class KlinePrefixCacheTest {
    private static final long T0 = 1_798_761_600_000L;

    private static Bar bar(long minute, long close, long volume) {
        return new Bar("600519.SH", Interval.M1, T0 + minute * 60_000, close, close + 5, close - 5, close, volume,
                close * volume, 3, volume / 2);
    }

    /** The page as the cache serves it, and as it is encoded from scratch: always the same text. */
    private static void assertSamePage(KlinePrefixCache cache, BarCache bars, Bar live, int limit) {
        List<Bar> page = new ArrayList<>(bars.range(0, Long.MAX_VALUE, limit));
        if (live != null) {
            page.add(live);
        }
        assertEquals(MarketJson.klines("600519.SH", "1m", page, 42L).toString(),
                cache.page("600519.SH", Interval.M1, bars, page, live, 42L).toString());
    }

    @Test
    void aRepeatedPageFollowsTheLiveBarNewClosedBarsAndReplacedBars() {
        BarCache bars = new BarCache(100);
        for (int m = 0; m < 50; m++) {
            bars.add(bar(m, 168_000 + m, 100 + m));
        }
        KlinePrefixCache cache = new KlinePrefixCache();
        assertSamePage(cache, bars, bar(50, 169_000, 10), 30);
        assertSamePage(cache, bars, bar(50, 169_100, 20), 30); // live bar moved, closed part reused
        bars.add(bar(50, 169_100, 20));                          // the minute closed
        assertSamePage(cache, bars, bar(51, 169_200, 5), 30);
        bars.add(bar(45, 1, 1));                                  // an imported bar replaces one inside the page
        assertSamePage(cache, bars, bar(51, 169_200, 5), 30);
        assertSamePage(cache, bars, null, 30);                    // no live bar
        assertSamePage(cache, bars, null, 10);                    // another window of the same cache
        assertSamePage(cache, bars, bar(51, 169_300, 6), 10);
    }

    @Test
    void pagesLargerThanTheBoundAreEncodedEveryTime() {
        BarCache bars = new BarCache(KlinePrefixCache.MAX_BARS + 10);
        for (int m = 0; m < KlinePrefixCache.MAX_BARS + 5; m++) {
            bars.add(bar(m, 168_000 + m % 100, 100));
        }
        KlinePrefixCache cache = new KlinePrefixCache();
        assertSamePage(cache, bars, bar(KlinePrefixCache.MAX_BARS + 5, 169_000, 1), KlinePrefixCache.MAX_BARS + 5);
        bars.add(bar(3, 7, 7));
        assertSamePage(cache, bars, null, KlinePrefixCache.MAX_BARS + 5);
    }
}
