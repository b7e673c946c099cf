package org.opentrade.common.discovery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry inside one process, for tests and for wiring that runs every service in one JVM.
 * Listeners are called on the thread that made the change.
 */
public final class InMemoryServiceDiscovery implements ServiceDiscovery {
    private final InstanceCatalog catalog = new InstanceCatalog();
    private final ConcurrentHashMap<String, ServiceInstance> announced = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Watch> watch(String service, InstanceListener listener) {
        return CompletableFuture.completedFuture(catalog.watch(service, listener));
    }

    @Override
    public CompletionStage<Announcement> announce(ServiceInstance instance) {
        announced.put(instance.instanceId(), instance);
        catalog.upsert(instance);
        return CompletableFuture.completedFuture(new Announcement() {
            @Override
            public ServiceInstance instance() {
                ServiceInstance now = announced.get(instance.instanceId());
                return now != null ? now : instance;
            }

            @Override
            public CompletionStage<Void> drain() {
                ServiceInstance draining = instance().asDraining();
                if (announced.replace(instance.instanceId(), draining) != null) {
                    catalog.upsert(draining);
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> withdraw() {
                if (announced.remove(instance.instanceId()) != null) {
                    catalog.remove(instance.instanceId());
                }
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    @Override
    public CompletionStage<Void> close() {
        announced.keySet().forEach(catalog::remove);
        announced.clear();
        return CompletableFuture.completedFuture(null);
    }
}
