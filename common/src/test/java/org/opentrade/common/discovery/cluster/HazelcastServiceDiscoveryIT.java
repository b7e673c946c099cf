package org.opentrade.common.discovery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.common.discovery.ServiceDiscovery;
import org.opentrade.common.discovery.ServiceDiscoveryContract;
import org.opentrade.common.discovery.ServiceInstance;
import org.opentrade.common.discovery.ServiceInstances;

/**
 * The contract on two real cluster members (announcing on one, watching on the other), plus what
 * only a cluster can do: a member that dies without a word takes its instances with it, and a
 * registry entry that disappears is announced again by its owner.
 */
class HazelcastServiceDiscoveryIT extends ServiceDiscoveryContract {
    private static LoopbackCluster cluster;
    private static Vertx first;
    private static HazelcastServiceDiscovery announcing;
    private static HazelcastServiceDiscovery watching;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LoopbackCluster(3);
        first = cluster.start();
        Vertx second = cluster.start();
        announcing = await(ClusterDiscovery.start(first).toCompletionStage());
        // A short resync, so the re-announcement test does not wait the default 10 s.
        watching = await(ClusterDiscovery.start(second, Duration.ofMillis(300)).toCompletionStage());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected ServiceDiscovery announcer() {
        return announcing;
    }

    @Override
    protected ServiceDiscovery watcher() {
        return watching;
    }

    @Test
    void theInstancesOfAMemberThatDiesAreRemovedAndTheOthersKept() throws Exception {
        String service = freshService();
        LastSet seen = new LastSet();
        await(watching.watch(service, seen));
        ServiceInstance survivor = ServiceInstance.of(service, service + "-survivor", "127.0.0.1", 18100);
        await(announcing.announce(survivor));

        Vertx doomed = cluster.start();
        HazelcastServiceDiscovery doomedDiscovery = await(ClusterDiscovery.start(doomed).toCompletionStage());
        ServiceInstance doomedInstance = ServiceInstance.of(service, service + "-doomed", "127.0.0.1", 18101);
        await(doomedDiscovery.announce(doomedInstance));
        seen.await("both instances", s -> s.size() == 2);

        long killed = System.nanoTime();
        LoopbackCluster.terminate(doomed);
        ServiceInstances after = seen.await("the dead member's instance removed", s -> s.size() == 1);
        long tookMillis = (System.nanoTime() - killed) / 1_000_000;
        assertEquals(List.of(survivor), after.all());
        System.out.printf("dead member's instance removed after %d ms%n", tookMillis);
        assertTrue(tookMillis < (LoopbackCluster.NO_HEARTBEAT_SECONDS + 8) * 1000L, "took " + tookMillis + " ms");
        // Gone from the registry too, not only from what this member knows: a watcher that starts
        // now (on the member that did not announce it) does not see it.
        LastSet late = new LastSet();
        await(announcing.watch(service, late));
        assertEquals(List.of(survivor), late.await("only the survivor", s -> s.size() == 1).all());
        Map<Object, Object> registry = ClusterDiscovery.hazelcastOf(first).getHazelcastInstance()
                .getMap(HazelcastServiceDiscovery.MAP_NAME);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (registry.containsKey(doomedInstance.instanceId())) {
            assertTrue(System.nanoTime() < deadline, "the dead member's entry is still in the map");
            pause(); // polling the map, not a fixed wait
        }
    }

    @Test
    void anEntryThatVanishesFromTheRegistryIsAnnouncedAgainByItsOwner() {
        String service = freshService();
        LastSet seen = new LastSet();
        await(announcing.watch(service, seen));
        ServiceInstance a = ServiceInstance.of(service, service + "-a", "127.0.0.1", 18110);
        // Announced by the member that resyncs every 300 ms.
        await(watching.announce(a));
        seen.await("a announced", s -> s.size() == 1);

        ClusterDiscovery.hazelcastOf(first).getHazelcastInstance().getMap(HazelcastServiceDiscovery.MAP_NAME)
                .delete(a.instanceId());
        seen.await("a gone", ServiceInstances::isEmpty);
        assertEquals(List.of(a), seen.await("a announced again", s -> s.size() == 1).all());
    }

    @Test
    void aVertxThatIsNotClusteredIsRefusedWithAReason() throws Exception {
        Vertx local = Vertx.vertx();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ClusterDiscovery.start(local).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("clustered Vert.x"), e.getCause().getMessage());
        } finally {
            local.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
