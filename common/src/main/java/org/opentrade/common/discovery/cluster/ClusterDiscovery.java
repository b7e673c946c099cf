package org.opentrade.common.discovery.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import org.opentrade.common.discovery.ServiceInstance;

/**
 * Service discovery on the cluster a clustered Vert.x has joined: the entry point of the services
 * ({@link ServiceEndpoint}) and of the gateway. Fails fast, naming what is missing, when the Vert.x
 * instance is not clustered or runs another cluster manager than Hazelcast.
 *
 * <p>Every discovery started here answers, on the event bus at {@value #CONFIRM_ADDRESS}{@code <its
 * member UUID>}, whether it announced a given instance, and uses another member's registry entry
 * only once that member has said so ({@link OwnerCheck}). With the event bus on mutual TLS
 * ({@code cluster.tls}) only members holding the cluster's certificate can ask or answer, so an
 * entry a rogue Hazelcast member writes is never used; without TLS the check catches stale or
 * mistaken entries only.
 */
public final class ClusterDiscovery {
    /** Prefix of each member's confirmation address; the member's Hazelcast UUID follows. */
    public static final String CONFIRM_ADDRESS = "opentrade.discovery.confirm.";
    /** How long a member has to confirm an entry; an unanswered one is retried with a backoff. */
    public static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(3);

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
        return Future.fromCompletionStage(HazelcastServiceDiscovery.start(hazelcast.getHazelcastInstance(), resyncInterval,
                        ownerCheck(vertx)), internal.getOrCreateContext())
                .compose(discovery -> {
                    MessageConsumer<JsonObject> answers = vertx.eventBus().consumer(CONFIRM_ADDRESS + discovery.localMember(),
                            request -> answer(vertx, discovery, request));
                    io.vertx.core.Closeable hook = done -> answers.unregister()
                            .onComplete(u -> discovery.close().whenComplete((v, e) -> done.succeed()));
                    internal.addCloseHook(hook);
                    return answers.completion().map(discovery).recover(err -> {
                        discovery.close();
                        return Future.failedFuture(err);
                    });
                });
    }

    /** Asks the entry's member over the event bus, with {@link #CONFIRM_TIMEOUT}; true only for a reply of true. */
    static OwnerCheck ownerCheck(Vertx vertx) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(CONFIRM_TIMEOUT.toMillis());
        return (member, instance) -> vertx.eventBus().<Object>request(CONFIRM_ADDRESS + member, claim(instance), options)
                .map(reply -> Boolean.TRUE.equals(reply.body()))
                .toCompletionStage();
    }

    /** Answers whether this member announced the claimed instance; a request it cannot read is answered false. */
    private static void answer(Vertx vertx, HazelcastServiceDiscovery discovery, Message<JsonObject> request) {
        ServiceInstance claimed;
        try {
            JsonObject o = request.body();
            claimed = new ServiceInstance(o.getString("service"), o.getString("instance_id"), o.getString("host"),
                    o.getInteger("port", 0), ServiceInstance.DEFAULT_WEIGHT, false, o.getInteger("partition", 0));
        } catch (RuntimeException e) {
            request.reply(false);
            return;
        }
        Future.fromCompletionStage(discovery.announcedHere(claimed), vertx.getOrCreateContext())
                .onComplete(ar -> request.reply(ar.succeeded() && ar.result()));
    }

    private static JsonObject claim(ServiceInstance i) {
        return new JsonObject().put("service", i.service()).put("instance_id", i.instanceId()).put("host", i.host())
                .put("port", i.port()).put("partition", i.partition());
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
