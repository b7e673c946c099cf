package org.opentrade.gateway.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.gateway.port.Await.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.gateway.domain.Gcra;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.port.Await;
import org.opentrade.gateway.port.RateLimiter;
import org.opentrade.gateway.port.RateLimiterContract;

class RedisRateLimiterIT extends RateLimiterContract {

    @RegisterExtension
    static final RedisServerExtension fixture = new RedisServerExtension();

    @Override
    protected RateLimiter newLimiter() throws Exception {
        fixture.server().flushAll();
        return new RedisRateLimiter(fixture.connections().open());
    }

    @Test
    void theScriptDecidesExactlyAsGcraOnASeededRandomSequence() throws Exception {
        RedisRateLimiter redis = new RedisRateLimiter(fixture.connections().open());
        Random random = new Random(20_260_601L);
        for (int run = 0; run < 30; run++) {
            // Periods of minutes: the bucket key expires in real time, and must not before the
            // simulated clock has passed its tat (which a run of a few ms never lets happen).
            RateLimit limit = new RateLimit(1 + random.nextInt(20), 60_000 + random.nextInt(3_540_000));
            long interval = Gcra.intervalMicros(limit);
            long now = 1_700_000_000_000_000L + random.nextInt(1_000_000_000);
            long tat = 0;
            for (int step = 0; step < 150; step++) {
                now += random.nextInt(20) == 0
                        ? limit.periodMillis() * 1000 * (1 + random.nextInt(2))
                        : (long) (random.nextDouble() * 1.5 * interval);
                int cost = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(random.nextInt(10) == 0 ? 25 : 3);

                Gcra.Result expected = Gcra.decide(tat, now, limit, cost);
                Gcra.Result actual = result(redis.decide("diff-" + run, limit, cost, now));

                String where = "run " + run + " step " + step + " " + limit + " cost " + cost;
                assertEquals(expected.decision(), actual.decision(), where);
                // A tat behind the clock means "full" whatever its value: the script leaves such a tat
                // as it is where Gcra returns now, so compare the states, not the numbers.
                assertEquals(Math.max(expected.newTat(), now), Math.max(actual.newTat(), now), where);
                tat = expected.newTat();
            }
        }
    }

    @Test
    void twoGatewaysHammeringOneBucketAdmitExactlyTheLimit() throws Exception {
        List<RateLimiter> gateways = List.of(new RedisRateLimiter(fixture.connections().open()),
                new RedisRateLimiter(fixture.connections().open()));
        RateLimit hundredPerHour = new RateLimit(100, 3_600_000);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                RateLimiter gateway = gateways.get(t % 2);
                done.add(pool.submit(() -> {
                    start.await();
                    // Each thread keeps several calls in flight, as an event loop would.
                    for (int batch = 0; batch < 5; batch++) {
                        List<CompletableFuture<Boolean>> calls = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                            calls.add(gateway.acquire("shared", hundredPerHour, 1).toCompletableFuture()
                                    .thenApply(d -> d.allowed()));
                        }
                        for (CompletableFuture<Boolean> call : calls) {
                            if (result(call)) {
                                admitted.incrementAndGet();
                            }
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
        assertEquals(100, admitted.get());
    }

    @Test
    void whileRedisIsDownCallsFailFastAndTheyPassAgainAfterARestart() throws Exception {
        Duration timeout = RedisOptions.DEFAULT_COMMAND_TIMEOUT;
        RedisRateLimiter limiter = new RedisRateLimiter(fixture.connections().open(fixture.connections().options()
                .withCommandTimeout(timeout)));
        RateLimit limit = new RateLimit(1000, 60_000);
        assertTrue(result(limiter.acquire("outage", limit, 1)).allowed());

        fixture.server().kill();
        try {
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                CompletableFuture<?> call = limiter.acquire("outage", limit, 1).toCompletableFuture();
                // get() with a bound: a hang shows as a TimeoutException, not as a slow pass.
                assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
                long tookMillis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(tookMillis <= 2 * timeout.toMillis(), "call " + i + " failed after " + tookMillis + " ms");
            }
        } finally {
            fixture.server().restart();
        }

        // The restarted server knows no script: this also exercises the EVAL fallback on NOSCRIPT.
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return result(limiter.acquire("outage", limit, 1)).allowed();
            } catch (Exception stillDown) {
                return false;
            }
        });
    }

    @Test
    void whileRedisIsStalledCallsTimeOutWithinTheCommandTimeout() throws Exception {
        Duration timeout = RedisOptions.DEFAULT_COMMAND_TIMEOUT;
        RedisRateLimiter limiter = new RedisRateLimiter(fixture.connections().open(fixture.connections().options()
                .withCommandTimeout(timeout)));
        RateLimit limit = new RateLimit(1000, 60_000);
        assertTrue(result(limiter.acquire("stall", limit, 1)).allowed());

        fixture.server().pause();
        try {
            long started = System.nanoTime();
            CompletableFuture<?> call = limiter.acquire("stall", limit, 1).toCompletableFuture();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis <= 2 * timeout.toMillis(), "failed after " + tookMillis + " ms: " + failure.getCause());
        } finally {
            fixture.server().resume();
        }
        assertTrue(result(limiter.acquire("stall", limit, 1)).allowed());
    }
}
