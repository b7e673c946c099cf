package org.opentrade.common.discovery.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;

/**
 * Service discovery on the cluster a clustered Vert.x has joined: the entry point of the services
 * ({@link ServiceEndpoint}) and of the gateway. Fails fast, naming what is missing, when the Vert.x
 * instance is not clustered or runs another cluster manager than Hazelcast.
 */
public final class ClusterDiscovery {
    private ClusterDiscovery() {
    }

    /**
     * Starts a {@link HazelcastServiceDiscovery} on {@code vertx}'s cluster with the default resync
     * interval. It is closed with {@code vertx} (announcements withdrawn, listeners removed), or
     * earlier by {@code close()}. Safe to call on an event loop: nothing blocks.
     */
    public static Future<HazelcastServiceDiscovery> start(Vertx vertx) {
        return start(vertx, HazelcastServiceDiscovery.DEFAULT_RESYNC_INTERVAL);
    }

    /** As {@link #start(Vertx)}, resyncing every {@code resyncInterval}. */
    public static Future<HazelcastServiceDiscovery> start(Vertx vertx, Duration resyncInterval) {
        HazelcastClusterManager hazelcast;
        try {
            hazelcast = hazelcastOf(vertx);
        } catch (IllegalStateException e) {
            return Future.failedFuture(e);
        }
        VertxInternal internal = (VertxInternal) vertx;
        return Future.fromCompletionStage(HazelcastServiceDiscovery.start(hazelcast.getHazelcastInstance(), resyncInterval),
                        internal.getOrCreateContext())
                .map(discovery -> {
                    io.vertx.core.Closeable hook = done -> discovery.close().whenComplete((v, e) -> done.succeed());
                    internal.addCloseHook(hook);
                    return discovery;
                });
    }

    /** The Hazelcast cluster manager of a clustered {@code vertx}; throws naming the problem otherwise. */
    static HazelcastClusterManager hazelcastOf(Vertx vertx) {
        if (!vertx.isClustered()) {
            throw new IllegalStateException("service discovery needs a clustered Vert.x (the cluster's Hazelcast holds"
                    + " the registry); this one is not clustered");
        }
        ClusterManager manager = ((VertxInternal) vertx).clusterManager();
        if (!(manager instanceof HazelcastClusterManager hazelcast)) {
            throw new IllegalStateException("service discovery runs on the Hazelcast cluster manager; this Vert.x runs "
                    + manager.getClass().getName());
        }
        return hazelcast;
    }
}
