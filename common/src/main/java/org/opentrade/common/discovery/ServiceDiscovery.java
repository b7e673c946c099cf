package org.opentrade.common.discovery;

import java.util.concurrent.CompletionStage;

/**
 * The port to a registry of HTTP service instances shared by a cluster: instances announce
 * themselves (and announce when they drain), gateways watch the instances of the services they
 * route to. No static target lists: an instance that starts is seen by every watcher, one that
 * drains stops getting new requests, and one whose process dies is removed by the registry itself.
 *
 * <p>Implementations: {@code cluster.HazelcastServiceDiscovery} (the Vert.x cluster's Hazelcast) and
 * {@link InMemoryServiceDiscovery} (one process). Both pass {@code ServiceDiscoveryContract}.
 */
public interface ServiceDiscovery {

    /**
     * Watches {@code service}: {@code listener} gets the current instances, then every change (see
     * {@link InstanceListener}). The stage completes once the first call has been made.
     */
    CompletionStage<Watch> watch(String service, InstanceListener listener);

    /**
     * Announces {@code instance} to every watcher. The stage completes once the registry holds it.
     * An instance is announced while its HTTP server already listens, so that watchers may send it
     * requests at once.
     */
    CompletionStage<Announcement> announce(ServiceInstance instance);

    /** Stops watching, withdraws what this discovery announced and releases its resources. */
    CompletionStage<Void> close();

    /** An instance announced through this discovery. */
    interface Announcement {
        /** The instance as currently announced. */
        ServiceInstance instance();

        /**
         * Announces that the instance is draining: watchers stop sending it new requests, and
         * requests they already sent finish. Completes once the registry holds the change.
         */
        CompletionStage<Void> drain();

        /** Removes the instance from the registry; watchers forget it. */
        CompletionStage<Void> withdraw();
    }
}
