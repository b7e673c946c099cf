package org.opentrade.common.discovery.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.opentrade.common.discovery.ServiceInstance;

/**
 * Asks the cluster member a registry entry names whether it really announced that instance. The
 * registry is a Hazelcast map, and open-source Hazelcast lets any process that joins write to it;
 * an entry is used only once its member confirms it over a channel such a process cannot use (the
 * event bus with mutual TLS: {@link ClusterDiscovery}). Otherwise a rogue member could point the
 * gateways at an HTTP endpoint of its own and collect the requests and identity assertions they
 * send there.
 */
@FunctionalInterface
public interface OwnerCheck {
    /** Trusts every entry: for a registry whose writers are all trusted (tests of the registry itself). */
    OwnerCheck TRUST_REGISTRY = (member, instance) -> CompletableFuture.completedFuture(true);

    /**
     * Completes with true when {@code member} confirms it announced {@code instance} (the same
     * service, instance id, host and port); false, or a failure, when it does not or cannot be asked.
     * Called on the discovery's thread; must not block.
     */
    CompletionStage<Boolean> confirm(String member, ServiceInstance instance);
}
