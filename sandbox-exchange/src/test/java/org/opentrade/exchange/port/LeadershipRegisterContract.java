package org.opentrade.exchange.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every {@link LeadershipRegister} promises, run against the in-memory engine and each real one
 * (extend it and implement {@link #open}, {@link #kill} and {@link #takeoverBound}). Two processes,
 * numbered 0 and 1, share one consensus engine; each test uses groups of its own, so a real engine can
 * serve every test of the class. {@link #afterTheHolderDiesTheOtherTakesOverWithALargerFence} kills
 * process 0 and runs last, so an engine whose dead processes cannot come back needs no restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class LeadershipRegisterContract {
    /** How long a refused {@code tryLock} waits: long enough to see the wait honoured, short for the suite. */
    protected static final Duration REFUSED_WAIT = Duration.ofMillis(300);
    /** A wait that, unless something is broken, never runs out. */
    protected static final Duration LONG_WAIT = Duration.ofSeconds(10);

    private final List<Opened> opened = new ArrayList<>();
    private final Set<Integer> killed = new HashSet<>();
    private String group;
    private String otherGroup;

    private record Opened(int process, LeadershipRegister register) {
    }

    /**
     * Process {@code process}'s (0 or 1) register of {@code group}, a name such as {@code shards-0-1}.
     * Called once per process and group in a test; the suite closes what it opened.
     */
    protected abstract LeadershipRegister open(int process, String group);

    /**
     * Process {@code process} dies abruptly, as far as the engine can tell (no unlock, no goodbye): its
     * locks must be released by the engine alone. Its registers are not used afterwards.
     */
    protected abstract void kill(int process);

    /** How long after {@link #kill} the other process may have to wait for the lock (the engine's session TTL and margin). */
    protected abstract Duration takeoverBound();

    @BeforeEach
    void pickGroups() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        group = "shards-" + run + "-0-1";
        otherGroup = "shards-" + run + "-2-3";
    }

    @AfterEach
    void closeRegisters() {
        for (Opened o : opened) {
            if (!killed.contains(o.process())) {
                o.register().close();
            }
        }
        opened.clear();
    }

    private LeadershipRegister register(int process, String group) {
        LeadershipRegister r = open(process, group);
        opened.add(new Opened(process, r));
        return r;
    }

    @Test
    void theFirstTryLockGetsTheLockWithAFence() {
        LeadershipRegister a = register(0, group);
        assertTrue(a.tryLock(Duration.ZERO).isPresent());
    }

    @Test
    void anotherProcessIsRefusedAfterWaitingWhileTheLockIsHeld() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        assertTrue(a.tryLock(Duration.ZERO).isPresent());
        long start = System.nanoTime();
        assertEquals(OptionalLong.empty(), b.tryLock(REFUSED_WAIT));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMillis >= REFUSED_WAIT.toMillis() - 50, "refused after waiting " + waitedMillis + " ms");
    }

    @Test
    void afterAnUnlockTheOtherProcessGetsALargerFence() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        long first = a.tryLock(Duration.ZERO).orElseThrow();
        a.unlock();
        long second = b.tryLock(LONG_WAIT).orElseThrow();
        assertTrue(second > first, "fence " + second + " after " + first);
        b.unlock();
        long third = a.tryLock(LONG_WAIT).orElseThrow();
        assertTrue(third > second, "fence " + third + " after " + second);
    }

    @Test
    void aWaitingProcessGetsTheLockAsSoonAsTheHolderUnlocks() throws Exception {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        long first = a.tryLock(Duration.ZERO).orElseThrow();
        CompletableFuture<OptionalLong> waiting = CompletableFuture.supplyAsync(() -> b.tryLock(LONG_WAIT));
        assertEquals(OptionalLong.of(first), a.tryLock(Duration.ZERO), "the holder keeps its hold while the other waits");
        a.unlock();
        long second = waiting.get(LONG_WAIT.toSeconds() + 5, TimeUnit.SECONDS).orElseThrow();
        assertTrue(second > first, "fence " + second + " after " + first);
    }

    @Test
    void theHolderLockingAgainGetsTheSameFenceAndOneUnlockReleases() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        long first = a.tryLock(Duration.ZERO).orElseThrow();
        assertEquals(OptionalLong.of(first), a.tryLock(Duration.ZERO));
        assertEquals(OptionalLong.of(first), a.tryLock(REFUSED_WAIT));
        a.unlock();
        long second = b.tryLock(Duration.ZERO).orElseThrow();
        assertTrue(second > first, "one unlock released the lock: fence " + second + " after " + first);
    }

    @Test
    void anUnlockByAProcessThatDoesNotHoldTheLockChangesNothing() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        b.unlock();
        long first = a.tryLock(Duration.ZERO).orElseThrow();
        b.unlock();
        assertEquals(OptionalLong.empty(), b.tryLock(Duration.ZERO));
        assertEquals(OptionalLong.of(first), a.tryLock(Duration.ZERO), "the holder still holds the same hold");
    }

    @Test
    void closeReleasesTheLock() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        long first = a.tryLock(Duration.ZERO).orElseThrow();
        a.close();
        long second = b.tryLock(LONG_WAIT).orElseThrow();
        assertTrue(second > first, "fence " + second + " after " + first);
    }

    @Test
    void theRegisterIsSetOnlyFromTheExpectedValue() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        assertNull(a.read(), "never written");
        assertFalse(a.compareAndSet("node-a@7", "node-a@8"), "expects a value where there is none");
        assertTrue(a.compareAndSet(null, "node-a@7"));
        assertEquals("node-a@7", b.read(), "every process reads the same value");
        assertFalse(b.compareAndSet(null, "node-b@7"), "another process wrote first");
        assertFalse(b.compareAndSet("node-a@6", "node-b@7"));
        assertEquals("node-a@7", a.read());
        assertTrue(b.compareAndSet("node-a@7", "node-b@9"));
        assertEquals("node-b@9", a.read());
    }

    @Test
    void twoGroupsAreIndependent() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister aOther = register(0, otherGroup);
        LeadershipRegister b = register(1, group);
        LeadershipRegister bOther = register(1, otherGroup);
        assertTrue(a.tryLock(Duration.ZERO).isPresent());
        assertTrue(bOther.tryLock(Duration.ZERO).isPresent(), "the other group's lock is free");
        assertEquals(OptionalLong.empty(), b.tryLock(Duration.ZERO));
        assertEquals(OptionalLong.empty(), aOther.tryLock(Duration.ZERO));
        assertTrue(a.compareAndSet(null, "node-a@1"));
        assertNull(bOther.read(), "the other group's register is untouched");
        assertTrue(bOther.compareAndSet(null, "node-b@1"));
        assertEquals("node-a@1", b.read());
    }

    /** Runs after every other contract test (it kills process 0); an adapter's own tests may follow it. */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void afterTheHolderDiesTheOtherTakesOverWithALargerFence() {
        LeadershipRegister a = register(0, group);
        LeadershipRegister b = register(1, group);
        long first = a.tryLock(Duration.ZERO).orElseThrow();
        assertTrue(a.compareAndSet(null, "node-a@" + first));
        assertEquals(OptionalLong.empty(), b.tryLock(Duration.ZERO));
        killed.add(0);
        kill(0);
        long start = System.nanoTime();
        OptionalLong second = b.tryLock(takeoverBound());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(second.isPresent(), "no takeover within " + takeoverBound());
        assertTrue(second.getAsLong() > first, "fence " + second.getAsLong() + " after " + first);
        assertEquals("node-a@" + first, b.read(), "the register outlives the process that wrote it");
        assertTrue(b.compareAndSet("node-a@" + first, "node-b@" + second.getAsLong()));
        System.out.println("[" + getClass().getSimpleName() + "] took over " + tookMillis + " ms after the holder died");
    }
}
