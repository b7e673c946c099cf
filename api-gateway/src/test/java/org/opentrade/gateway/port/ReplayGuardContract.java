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

/** What every {@link ReplayGuard} does; each adapter's test extends this with its own guard. */
public abstract class ReplayGuardContract {

    /** A fresh guard that has seen no signature. */
    protected abstract ReplayGuard newGuard() throws Exception;

    protected ReplayGuard guard;

    private static final long MINUTE = 60_000;

    @BeforeEach
    protected void openGuard() throws Exception {
        guard = newGuard();
    }

    @AfterEach
    protected void closeGuard() throws Exception {
        if (guard != null) {
            result(guard.close());
        }
    }

    @Test
    public void aSignatureIsFirstOnceThenReplayed() throws Exception {
        assertTrue(result(guard.firstUse("sig-1", MINUTE)));
        assertFalse(result(guard.firstUse("sig-1", MINUTE)));
        assertFalse(result(guard.firstUse("sig-1", MINUTE)));
    }

    @Test
    public void anIdIsRecordedUntilItsTtlAndLookingItUpRecordsNothing() throws Exception {
        assertFalse(result(guard.recorded("session-ended:a")));
        assertTrue(result(guard.firstUse("session-ended:a", 150)), "looking it up recorded nothing");
        assertTrue(result(guard.recorded("session-ended:a")));
        assertFalse(result(guard.recorded("session-ended:b")));

        Await.until(Duration.ofSeconds(3), () -> !result(guard.recorded("session-ended:a")));
    }

    @Test
    public void anotherSignatureIsStillFirst() throws Exception {
        assertTrue(result(guard.firstUse("sig-1", MINUTE)));

        assertTrue(result(guard.firstUse("sig-2", MINUTE)));
    }

    @Test
    public void aSignatureIsFirstAgainAfterItsTtl() throws Exception {
        assertTrue(result(guard.firstUse("sig-short", 150)));
        assertFalse(result(guard.firstUse("sig-short", 150)));

        // The window has to pass in real time: ask until it answers true, with a timeout.
        Await.until(Duration.ofSeconds(3), () -> result(guard.firstUse("sig-short", 150)));
    }

    @Test
    public void concurrentFirstUsesOfOneSignatureAreTrueExactlyOnce() throws Exception {
        int threads = 8;
        int rounds = 50;
        AtomicInteger firsts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        if (result(guard.firstUse("sig-race-" + r, MINUTE))) {
                            firsts.incrementAndGet();
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
        assertEquals(rounds, firsts.get(), "one first use per signature");
    }
}
