package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentrade.market.adapter.http.MarketRoutes;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.port.ForwardingTimeSeriesStore;

/**
 * K-line and trade pages that need the history store read it on a bounded pool of their own: a caller asking
 * such pages faster than the store answers gets 503 -6014 with Retry-After for those past the bound, and the
 * process's shared worker pool (the exchange's feed replays in the all-in-one) stays free. They were queued
 * without bound on the shared pool, every one of its threads held by them.
 */
class StoreReadBoundTest {
    private static final String SYM = "601398.SH";

    /** The in-memory store whose bar reads wait for {@link #release} once {@link #hold} is set (a slow store). */
    static final class HeldBarReads extends ForwardingTimeSeriesStore {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger waiting = new AtomicInteger();
        volatile boolean hold;

        HeldBarReads() {
            super(new InMemoryTimeSeriesStore());
        }

        @Override
        public List<Bar> bars(String symbol, Interval interval, long start, long end, int limit) {
            if (hold) {
                waiting.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.bars(symbol, interval, start, end, limit);
        }

        /** Bars in the store before the start, which loads them into the minute cache. */
        void preload(List<Bar> minutes) {
            delegate.writeBars(Interval.M1, minutes);
        }

        @Override
        public void close() {
            release.countDown();
            delegate.close();
        }
    }

    @Test
    void pagesPastTheReadBoundAreRefusedAtOnceAndTheSharedWorkersStayFree() throws Exception {
        HeldBarReads store = new HeldBarReads();
        try (MarketHarness h = MarketHarness.start(Map.of("OPENTRADE_MARKET_READ_THREADS", "1",
                "OPENTRADE_MARKET_READ_QUEUE", "1"), c -> store)) {
            store.hold = true;
            WebClient client = WebClient.create(h.vertx, new WebClientOptions(),
                    new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
            try {
                List<Future<HttpResponse<Buffer>>> pages = new ArrayList<>();
                for (int i = 0; i < 30; i++) { // no bar in memory: every page reads the store
                    pages.add(client.get(h.market.port(), "127.0.0.1", "/v1/market/klines/" + SYM + "?interval=5m")
                            .putHeader(MarketHarness.TEST_CALLER, "dev-1").send());
                }
                h.until(() -> pages.stream().filter(Future::isComplete).count() == 28, 10);
                for (Future<HttpResponse<Buffer>> f : pages) {
                    if (f.isComplete()) {
                        HttpResponse<Buffer> r = f.result();
                        assertEquals(503, r.statusCode(), r.bodyAsString());
                        assertEquals(-6014, r.bodyAsJsonObject().getInteger("error_no"));
                        assertEquals("1", r.getHeader("Retry-After"));
                    }
                }
                h.until(() -> store.waiting.get() >= 1, 10);
                assertEquals(1, store.waiting.get(), "one read at a time runs, one waits for it");
                assertEquals(1, h.vertx.executeBlocking(() -> 1).toCompletionStage().toCompletableFuture()
                        .get(5, TimeUnit.SECONDS), "the shared worker pool is not taken by the held reads");

                store.release.countDown();
                h.until(() -> pages.stream().allMatch(Future::isComplete), 10);
                long answered = pages.stream().filter(f -> f.result().statusCode() == 200).count();
                assertEquals(2, answered, "the two admitted pages are answered once the store is");
                assertTrue(h.market.metrics().contains("market_history_reads_refused_total 28"), h.market.metrics());
            } finally {
                store.release.countDown(); // else a held read could keep the service from stopping
                client.close();
            }
        }
    }

    /**
     * A K-line page rolled up from more cached minutes than the market context rolls up itself goes to the read
     * pool like a store read (here: refused while that pool is full, answered once it is free). It was rolled up on
     * the market context, which also applies the feed and writes the streams: a 60m page of 327 bars rolls up
     * the 20 000 cached minutes there, milliseconds per request that any key could ask ten times a second.
     */
    @Test
    void aPageRolledUpFromThousandsOfCachedMinutesTakesAReadSlotNotTheMarketContext() throws Exception {
        HeldBarReads store = new HeldBarReads();
        long first = (System.currentTimeMillis() / 60_000 - 10_000) * 60_000; // a week back, on a minute
        List<Bar> minutes = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            minutes.add(new Bar(SYM, Interval.M1, first + i * 60_000L, 715, 716, 714, 715, 100, 71_500, 1, 50));
        }
        store.preload(minutes); // the start loads them into the minute cache
        int onLoop = MarketRoutes.MAX_ROLLUP_ON_LOOP;
        int limit = onLoop / 61 + 1; // 60m bars: up to 61 source minutes each are read for one
        try (MarketHarness h = MarketHarness.start(Map.of("OPENTRADE_MARKET_READ_THREADS", "1",
                "OPENTRADE_MARKET_READ_QUEUE", "0"), c -> store)) {
            String rolledUp = "/v1/market/klines/" + SYM + "?interval=60m&limit=" + limit;
            store.hold = true;
            try {
                Future<HttpResponse<Buffer>> held = h.client.get(h.market.port(), "127.0.0.1", "/v1/market/klines/"
                        + SYM + "?interval=1m&end=" + first).putHeader(MarketHarness.TEST_CALLER, "dev-1").send();
                h.until(() -> store.waiting.get() == 1, 10); // the one read slot is taken

                HttpResponse<Buffer> refused = h.get(rolledUp);
                assertEquals(503, refused.statusCode(), "rolled up from " + limit * 61 + " cached minutes, answered "
                        + refused.statusCode() + " without a read slot: on the market context");
                assertEquals(-6014, refused.bodyAsJsonObject().getInteger("error_no"));

                store.release.countDown();
                assertEquals(200, MarketHarness.await(held).statusCode());
                HttpResponse<Buffer> page = h.get(rolledUp);
                assertEquals(200, page.statusCode(), page.bodyAsString());
                assertEquals(limit, page.bodyAsJsonObject().getJsonArray("bars").size());
                assertEquals(1, store.waiting.get(), "the roll-up read nothing from the store");
            } finally {
                store.release.countDown();
            }
        }
    }

    /**
     * A store that hangs: a page waits for its read at most {@code history.read_timeout}, then answers 503 -6014
     * with Retry-After while the read goes on in its slot. It waited as long as the store did (an InfluxDB up to
     * its 30 s request timeout per page), past the gateway's 5 s upstream deadline, whose caller got a 504.
     */
    @Test
    void aPageWhoseStoreDoesNotAnswerInTimeGets503WhileTheReadKeepsItsSlot() throws Exception {
        HeldBarReads store = new HeldBarReads();
        try (MarketHarness h = MarketHarness.start(Map.of("OPENTRADE_MARKET_READ_THREADS", "1",
                "OPENTRADE_MARKET_READ_QUEUE", "0", "OPENTRADE_MARKET_READ_TIMEOUT", "300ms"), c -> store)) {
            store.hold = true;
            try {
                String page = "/v1/market/klines/" + SYM + "?interval=5m"; // no bar in memory: it reads the store
                long t0 = System.nanoTime();
                HttpResponse<Buffer> late = h.client.get(h.market.port(), "127.0.0.1", page)
                        .putHeader(MarketHarness.TEST_CALLER, "dev-1").send().toCompletionStage().toCompletableFuture()
                        .get(4, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(503, late.statusCode(), late.bodyAsString());
                assertEquals(-6014, late.bodyAsJsonObject().getInteger("error_no"));
                assertEquals("1", late.getHeader("Retry-After"));
                assertTrue(ms >= 250 && ms < 3_000, "answered after the 300 ms timeout, not the store: " + ms + " ms");

                HttpResponse<Buffer> refused = h.get(page);
                assertEquals(503, refused.statusCode(), "the late read still holds the one slot");
                assertEquals(1, store.waiting.get());

                store.release.countDown();
                h.until(() -> h.market.metrics().contains("market_history_reads_in_flight 0"), 10);
                assertEquals(200, h.get(page).statusCode(), "the slot is free once the store answered");
            } finally {
                store.release.countDown();
            }
        }
    }
}
