package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.ForwardingTimeSeriesStore;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * Paging trades back from the ring of recent trades (ten here) into the store. While the history writer lags,
 * trades pushed out of the ring but not stored yet are in neither place, so a page that would need them answers
 * 503 -6014 with Retry-After instead of a short or empty page that ends history early; once the store has caught
 * up, paging yields every trade, page boundaries among trades of one millisecond included.
 */
class TradePagesTest {
    private static final String SYM = "601398.SH";

    @TempDir
    Path dir;

    /** The in-memory store whose trade writes wait until {@link #release} (a slow store); notes each trade read's end. */
    static final class HeldTradeWrites extends ForwardingTimeSeriesStore {
        final CountDownLatch release = new CountDownLatch(1);
        final List<Long> readEnds = new CopyOnWriteArrayList<>();

        HeldTradeWrites() {
            super(new InMemoryTimeSeriesStore());
        }

        @Override
        public void writeTrades(List<Trade> trades) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delegate.writeTrades(trades);
        }

        @Override
        public List<Trade> trades(String symbol, long start, long end, long beforeSeq, int limit) {
            readEnds.add(end);
            return delegate.trades(symbol, start, end, beforeSeq, limit);
        }

        @Override
        public void close() {
            release.countDown();
            delegate.close();
        }
    }

    @Test
    void aPageBelowTheRingWaitsForTheStoreAndThenPagingMissesNoTrade() throws Exception {
        HeldTradeWrites store = new HeldTradeWrites();
        try (MarketHarness h = start(store)) {
            h.limit(1, "alice", SYM, "SELL", "7.15", 2400);
            for (int i = 0; i < 24; i++) {
                h.limit(100 + i, "bob", SYM, "BUY", "7.15", 100);
            }
            h.until(() -> volume(h) == 2400, 30);

            JsonObject first = h.get("/v1/market/trades/" + SYM + "?limit=10").bodyAsJsonObject();
            assertEquals(10, first.getJsonArray("items").size(), "the ring's ten");
            String cursor = first.getString("next_cursor");
            HttpResponse<Buffer> behind = h.get("/v1/market/trades/" + SYM + "?limit=10&cursor=" + cursor);
            assertEquals(503, behind.statusCode(), behind.bodyAsString());
            assertEquals(-6014, behind.bodyAsJsonObject().getInteger("error_no"));
            assertEquals("1", behind.getHeader("Retry-After"));

            store.release.countDown();
            h.until(() -> status("/v1/market/trades/" + SYM + "?limit=10&cursor=" + cursor, h) == 200, 30);
            assertEquals(List.of(10, 10, 4), pageAll(h, first, 10), "24 trades in pages of ten");
        }
    }

    /** 24 trades in one millisecond (one order sweeping 24): page boundaries fall between trades of equal time. */
    @Test
    void pagesBelowTheRingAmongTradesOfOneMillisecondSkipAndRepeatNone() throws Exception {
        HeldTradeWrites store = new HeldTradeWrites();
        store.release.countDown();
        try (MarketHarness h = start(store)) {
            for (int i = 0; i < 24; i++) {
                h.limit(1 + i, "alice", SYM, "SELL", "7.15", 100);
            }
            h.limit(100, "bob", SYM, "BUY", "7.15", 2400);
            h.until(() -> volume(h) == 2400, 30);
            JsonObject first = h.get("/v1/market/trades/" + SYM + "?limit=7").bodyAsJsonObject();
            String below = "/v1/market/trades/" + SYM + "?limit=7&cursor=" + first.getString("next_cursor");
            h.until(() -> status(below, h) == 200, 30); // the store has caught up

            store.readEnds.clear();
            assertEquals(List.of(7, 7, 7, 3), pageAll(h, first, 7));
            assertEquals(3, store.readEnds.size(), "the three pages below the ring read the store");
        }
    }

    /** market-api with a ring of ten recent trades on {@code store}. */
    private MarketHarness start(TimeSeriesStore store) throws Exception {
        Path settings = dir.resolve("market-api.yaml");
        Files.writeString(settings, "history:\n  recent_trades: 10\n");
        return MarketHarness.start(Map.of("OPENTRADE_MARKET_CONFIG", settings.toString()), c -> store);
    }

    /**
     * Pages back from {@code first} until {@code next_cursor} is null, checking every trade comes once and newest
     * first; returns the page sizes.
     */
    private static List<Integer> pageAll(MarketHarness h, JsonObject first, int limit) throws Exception {
        List<Long> seqs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        JsonObject page = first;
        while (true) {
            JsonArray items = page.getJsonArray("items");
            sizes.add(items.size());
            for (int i = 0; i < items.size(); i++) {
                seqs.add(items.getJsonObject(i).getLong("seq"));
            }
            String next = page.getString("next_cursor");
            if (next == null) {
                break;
            }
            HttpResponse<Buffer> r = h.get("/v1/market/trades/" + SYM + "?limit=" + limit + "&cursor=" + next);
            assertEquals(200, r.statusCode(), r.bodyAsString());
            page = r.bodyAsJsonObject();
        }
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) < seqs.get(i - 1), "each trade once, newest first: " + seqs);
        }
        assertEquals(24, seqs.size(), "every trade: " + seqs);
        return sizes;
    }

    private static long volume(MarketHarness h) {
        try {
            return h.get("/v1/market/quotes?symbols=" + SYM).bodyAsJsonObject().getJsonArray("items").getJsonObject(0)
                    .getLong("volume");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int status(String uri, MarketHarness h) {
        try {
            return h.get(uri).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
