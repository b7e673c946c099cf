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
}
