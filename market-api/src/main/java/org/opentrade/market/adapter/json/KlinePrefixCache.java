package org.opentrade.market.adapter.json;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.common.json.JsonBytes;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.BarCache;
import org.opentrade.market.domain.Interval;

/**
 * The encoded text of the closed bars of the last K-line page served per symbol and source interval
 * (1m, 1d), so the same recent window asked again (a chart refreshing, a strategy polling) costs the
 * live bar's encoding and one copy instead of encoding every bar again. An entry is valid while its
 * {@link BarCache} has the version it was made at and the page starts at the same bar with as many
 * closed bars: closed bars never change without the version moving. At most one entry per symbol and
 * source interval (bounded by the universe), of pages up to {@link #MAX_BARS} bars. Market context only.
 */
public final class KlinePrefixCache {
    /** Pages with more closed bars than this are encoded each time (bounds an entry to a few hundred KB). */
    public static final int MAX_BARS = 2_000;

    private record Entry(long version, long firstTime, int count, byte[] text) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * The page body for {@code bars} (oldest first; the last may be {@code live}, the only one not from
     * {@code cache}), reusing or refreshing the encoded closed part.
     */
    public Buffer page(String symbol, Interval source, BarCache cache, List<Bar> bars, Bar live, Long nextCursor) {
        return page(new JsonBytes(64 + bars.size() * 170), symbol, source, cache, bars, live, nextCursor).asBuffer();
    }

    /** As {@link #page(String, Interval, BarCache, List, Bar, Long)}, written into {@code w}. */
    public JsonBytes page(JsonBytes w, String symbol, Interval source, BarCache cache, List<Bar> bars, Bar live,
                          Long nextCursor) {
        int closed = bars.size();
        if (closed > 0 && bars.get(closed - 1) == live) {
            closed--;
        }
        if (closed == 0 || closed > MAX_BARS) {
            return MarketJson.klines(w, symbol, source.code(), bars, nextCursor, null, 0);
        }
        String key = source.code() + ':' + symbol;
        long firstTime = bars.get(0).time();
        Entry e = entries.get(key);
        if (e == null || e.version() != cache.version() || e.firstTime() != firstTime || e.count() != closed) {
            e = new Entry(cache.version(), firstTime, closed, MarketJson.barsText(bars.subList(0, closed)));
            entries.put(key, e);
        }
        return MarketJson.klines(w, symbol, source.code(), bars, nextCursor, e.text(), closed);
    }
}
