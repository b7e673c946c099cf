package org.opentrade.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DrainTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Drain.Outcome await(Future<Drain.Outcome> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anIdleProcessWaitsOutTheNoticeOnly() throws Exception {
        Drain.Outcome o = await(Drain.untilIdle(vertx, Duration.ofMillis(200), Duration.ofSeconds(60), () -> 0));
        assertTrue(o.idle());
        assertTrue(o.waitedMillis() >= 200, "the notice is waited out: " + o);
    }

    @Test
    void aBusyProcessWaitsUntilItsLastRequestIsAnswered() throws Exception {
        AtomicInteger inFlight = new AtomicInteger(2);
        CountDownLatch polledWhileTwo = new CountDownLatch(5);
        CountDownLatch polledWhileOne = new CountDownLatch(5);
        Future<Drain.Outcome> drained = Drain.untilIdle(vertx, Duration.ZERO, Duration.ofSeconds(60), () -> {
            int n = inFlight.get();
            (n == 2 ? polledWhileTwo : polledWhileOne).countDown();
            return n;
        });
        assertTrue(polledWhileTwo.await(20, TimeUnit.SECONDS), "the count is polled while requests are in flight");
        inFlight.set(1);
        assertTrue(polledWhileOne.await(20, TimeUnit.SECONDS), "and still polled with one left");
        assertFalse(drained.isComplete(), "one request still in flight holds the stop");
        inFlight.set(0);
        Drain.Outcome o = await(drained);
        assertTrue(o.idle(), "ended because nothing is in flight, long before the grace: " + o);
    }

    @Test
    void aStuckRequestHoldsTheStopForTheGraceAtMost() throws Exception {
        Drain.Outcome o = await(Drain.untilIdle(vertx, Duration.ofMillis(50), Duration.ofMillis(300), () -> 3));
        assertFalse(o.idle());
        assertEquals(3, o.stillInFlight());
        assertTrue(o.waitedMillis() >= 300, "the whole grace: " + o);
    }

    @Test
    void theNoticeMayNotExceedTheGrace() {
        assertThrows(IllegalArgumentException.class,
                () -> Drain.untilIdle(vertx, Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0));
        assertThrows(IllegalArgumentException.class,
                () -> Drain.untilIdle(vertx, Duration.ofMillis(-1), Duration.ofSeconds(1), () -> 0));
    }
}
