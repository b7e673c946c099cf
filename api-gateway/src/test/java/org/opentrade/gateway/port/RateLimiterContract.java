package org.opentrade.gateway.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.gateway.port.Await.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.RateDecision;
import org.opentrade.gateway.domain.RateLimit;

/** What every {@link RateLimiter} does; each adapter's test extends this with its own limiter. */
public abstract class RateLimiterContract {

    /** A fresh limiter whose buckets are all full. */
    protected abstract RateLimiter newLimiter() throws Exception;

    protected RateLimiter limiter;

    @BeforeEach
    protected void openLimiter() throws Exception {
        limiter = newLimiter();
    }

    @AfterEach
    protected void closeLimiter() throws Exception {
        if (limiter != null) {
            result(limiter.close());
        }
    }

    private static final RateLimit FIVE_PER_MINUTE = new RateLimit(5, 60_000);

    @Test
    public void aBurstOfExactlyTheLimitPassesThenIsRefused() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertTrue(result(limiter.acquire("burst", FIVE_PER_MINUTE, 1)).allowed(), "call " + (i + 1));
        }

        RateDecision refused = result(limiter.acquire("burst", FIVE_PER_MINUTE, 1));

        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(5, refused.limit());
        assertTrue(refused.retryAfterMillis() > 0, "retry after " + refused.retryAfterMillis());
        assertTrue(refused.retryAfterMillis() <= 12_000, "one emission interval at most: " + refused.retryAfterMillis());
    }

    @Test
    public void remainingCountsDown() throws Exception {
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RateDecision d = result(limiter.acquire("countdown", FIVE_PER_MINUTE, 1));
            assertEquals(0, d.retryAfterMillis());
            assertTrue(d.resetMillis() > 0);
            remaining.add(d.remaining());
        }
        assertEquals(List.of(4L, 3L, 2L, 1L, 0L), remaining);
    }

    @Test
    public void aCostAboveOneTakesThatManyUnits() throws Exception {
        RateLimit tenPerMinute = new RateLimit(10, 60_000);
        assertEquals(6, result(limiter.acquire("heavy", tenPerMinute, 4)).remaining());

        RateDecision refused = result(limiter.acquire("heavy", tenPerMinute, 7));

        assertFalse(refused.allowed());
        assertEquals(6, refused.remaining());
        assertTrue(result(limiter.acquire("heavy", tenPerMinute, 6)).allowed());
    }

    @Test
    public void costZeroReadsWithoutConsuming() throws Exception {
        RateDecision fresh = result(limiter.acquire("read", FIVE_PER_MINUTE, 0));
        assertTrue(fresh.allowed());
        assertEquals(5, fresh.remaining());
        assertEquals(5, result(limiter.acquire("read", FIVE_PER_MINUTE, 0)).remaining());

        result(limiter.acquire("read", FIVE_PER_MINUTE, 1));

        assertEquals(4, result(limiter.acquire("read", FIVE_PER_MINUTE, 0)).remaining());
        assertEquals(4, result(limiter.acquire("read", FIVE_PER_MINUTE, 0)).remaining());
    }

    @Test
    public void bucketsAreIndependent() throws Exception {
        for (int i = 0; i < 5; i++) {
            result(limiter.acquire("bucket-a", FIVE_PER_MINUTE, 1));
        }
        assertFalse(result(limiter.acquire("bucket-a", FIVE_PER_MINUTE, 1)).allowed());

        RateDecision other = result(limiter.acquire("bucket-b", FIVE_PER_MINUTE, 1));

        assertTrue(other.allowed());
        assertEquals(4, other.remaining());
    }

    @Test
    public void theBucketRefillsAfterThePeriod() throws Exception {
        RateLimit fivePer300Ms = new RateLimit(5, 300);
        for (int i = 0; i < 5; i++) {
            result(limiter.acquire("refill", fivePer300Ms, 1));
        }
        RateDecision refused = result(limiter.acquire("refill", fivePer300Ms, 1));
        assertFalse(refused.allowed());
        assertTrue(refused.retryAfterMillis() <= 60, "one unit returns every 60 ms: " + refused.retryAfterMillis());

        // Time has to pass here: wait for the refill, by asking, with a timeout.
        Await.until(Duration.ofSeconds(3), () -> result(limiter.acquire("refill", fivePer300Ms, 0)).remaining() == 5);
        for (int i = 0; i < 5; i++) {
            assertTrue(result(limiter.acquire("refill", fivePer300Ms, 1)).allowed(), "after refill, call " + (i + 1));
        }
    }

    @Test
    public void concurrentAcquiresOnOneBucketAdmitExactlyTheLimit() throws Exception {
        RateLimit fiftyPerHour = new RateLimit(50, 3_600_000);
        int threads = 8;
        int callsEach = 20;
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsEach; i++) {
                        if (result(limiter.acquire("contended", fiftyPerHour, 1)).allowed()) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50, admitted.get());
    }
}
