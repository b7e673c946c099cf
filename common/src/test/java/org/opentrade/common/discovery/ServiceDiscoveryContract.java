package org.opentrade.common.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServiceDiscovery} promises, run against the in-memory one and against the
 * cluster's (where {@link #announcer()} and {@link #watcher()} are different cluster members). Each
 * test uses services of its own, so tests sharing one registry do not see each other.
 */
public abstract class ServiceDiscoveryContract {
    protected static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger SERVICES = new AtomicInteger();

    /** The discovery instances announce through. */
    protected abstract ServiceDiscovery announcer();

    /** The discovery that watches (another member of the same registry, or the same object). */
    protected abstract ServiceDiscovery watcher();

    /** A service name no other test uses. */
    protected static String freshService() {
        return "svc-" + ProcessHandle.current().pid() + "-" + SERVICES.incrementAndGet();
    }

    /** Keeps the last set a watch was told and how many calls it got. */
    protected static final class LastSet implements InstanceListener {
        public LastSet() {
        }

        private final AtomicReference<ServiceInstances> last = new AtomicReference<>();
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public void changed(ServiceInstances current, List<InstanceChange> changes) {
            last.set(current);
            calls.incrementAndGet();
        }

        public ServiceInstances get() {
            return last.get();
        }

        public int calls() {
            return calls.get();
        }

        /** Waits until the last set told matches {@code condition}; returns it. */
        public ServiceInstances await(String what, Predicate<ServiceInstances> condition) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                ServiceInstances now = last.get();
                if (now != null && condition.test(now)) {
                    return now;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + "; last set: " + now);
                }
                pause(); // polling a listener's latest value, not a fixed wait
            }
        }
    }

    protected static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }

    @Test
    void anInstanceAnnouncedAfterTheWatchStartedReachesTheWatcher() {
        String service = freshService();
        LastSet seen = new LastSet();
        await(watcher().watch(service, seen));
        assertTrue(seen.get().isEmpty(), "nothing announced yet: " + seen.get());

        ServiceInstance a = ServiceInstance.of(service, service + "-a", "127.0.0.1", 18081);
        await(announcer().announce(a));
        assertEquals(List.of(a), seen.await("a announced", s -> s.size() == 1).all());
    }

    @Test
    void aWatchStartedAfterTheAnnouncementGetsTheInstanceInItsFirstCall() {
        String service = freshService();
        ServiceInstance a = ServiceInstance.of(service, service + "-a", "127.0.0.1", 18081);
        ServiceInstance b = new ServiceInstance(service, service + "-b", "127.0.0.1", 18082, 3, false);
        await(announcer().announce(a));
        await(announcer().announce(b));
        // The watcher's registry may take a moment to hear of both; the first call then has them.
        LastSet probe = new LastSet();
        await(watcher().watch(service, probe));
        probe.await("both announced", s -> s.size() == 2);

        LastSet seen = new LastSet();
        await(watcher().watch(service, seen));
        assertEquals(1, seen.calls());
        assertEquals(List.of(a, b), seen.get().all());
    }

    @Test
    void drainingIsSeenAsNotServingAndWithdrawalRemovesTheInstance() {
        String service = freshService();
        LastSet seen = new LastSet();
        await(watcher().watch(service, seen));
        ServiceInstance a = ServiceInstance.of(service, service + "-a", "127.0.0.1", 18081);
        ServiceInstance b = ServiceInstance.of(service, service + "-b", "127.0.0.1", 18082);
        ServiceDiscovery.Announcement announcedA = await(announcer().announce(a));
        await(announcer().announce(b));
        seen.await("a and b serving", s -> s.serving().size() == 2);

        await(announcedA.drain());
        assertTrue(announcedA.instance().draining());
        ServiceInstances drained = seen.await("a draining", s -> s.serving().size() == 1);
        assertEquals(List.of(b), drained.serving());
        assertEquals(a.asDraining(), drained.get(a.instanceId()));

        await(announcedA.withdraw());
        assertEquals(List.of(b), seen.await("a withdrawn", s -> s.size() == 1).all());
    }

    @Test
    void aWatcherSeesOnlyItsServiceAndNothingAfterCancelling() {
        String market = freshService();
        String trade = freshService();
        LastSet marketSeen = new LastSet();
        Watch marketWatch = await(watcher().watch(market, marketSeen));
        LastSet tradeSeen = new LastSet();
        await(watcher().watch(trade, tradeSeen));

        await(announcer().announce(ServiceInstance.of(trade, trade + "-t", "127.0.0.1", 18090)));
        tradeSeen.await("trade instance", s -> s.size() == 1);
        ServiceInstance m = ServiceInstance.of(market, market + "-m", "127.0.0.1", 18091);
        await(announcer().announce(m));
        marketSeen.await("market instance", s -> s.size() == 1);
        assertEquals(List.of(m), marketSeen.get().all());

        int calls = marketSeen.calls();
        marketWatch.cancel();
        await(announcer().announce(ServiceInstance.of(market, market + "-m2", "127.0.0.1", 18092)));
        LastSet after = new LastSet();
        await(watcher().watch(market, after));
        after.await("second market instance", s -> s.size() == 2);
        assertEquals(calls, marketSeen.calls(), "a cancelled watch was called again");
    }
}
