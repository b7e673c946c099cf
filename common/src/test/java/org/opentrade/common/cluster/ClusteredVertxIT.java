package org.opentrade.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * Real Hazelcast members on 127.0.0.1 (free ports), as distributed mode runs them: two processes'
 * worth of clustered Vert.x join by the member list and answer each other's requests; a member
 * configured with another cluster name stays alone although it is told the same addresses.
 */
class ClusteredVertxIT {
    private static final Duration JOIN = Duration.ofSeconds(60);
    private static final List<Vertx> started = new ArrayList<>();
    private static Vertx first;
    private static Vertx second;
    private static Vertx stranger;

    @BeforeAll
    static void startMembers() throws Exception {
        int p1 = LoopbackPorts.free();
        int p2 = LoopbackPorts.free();
        List<String> members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        first = join(new ClusterConfig("ot-it", members, "127.0.0.1", null, p1, false, Duration.ofSeconds(5), 0));
        second = join(new ClusterConfig("ot-it", members, "127.0.0.1", null, p2, false, Duration.ofSeconds(5), 0));
        stranger = join(new ClusterConfig("ot-other", members, "127.0.0.1", null, LoopbackPorts.free(), false,
                Duration.ofSeconds(5), 0));
    }

    private static Vertx join(ClusterConfig c) throws Exception {
        Vertx v = ClusteredVertx.join(c, new VertxOptions(), JOIN);
        started.add(v);
        return v;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Vertx v : started) {
            v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void membersOfOneClusterAnswerEachOthersRequests() throws Exception {
        first.eventBus().consumer("ot.it.echo", m -> m.reply("echo " + m.body()))
                .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Object reply = second.eventBus().request("ot.it.echo", "hello").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).body();
        assertEquals("echo hello", reply);
        assertEquals(2, members(first));
    }

    @Test
    void aMemberWithAnotherClusterNameStaysAlone() {
        assertEquals(1, members(stranger));
        assertEquals(2, members(second));
    }

    private static int members(Vertx v) {
        HazelcastClusterManager m = (HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) v).clusterManager();
        return m.getHazelcastInstance().getCluster().getMembers().size();
    }
}
