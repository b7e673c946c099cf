package org.opentrade.common.discovery;

class InMemoryServiceDiscoveryTest extends ServiceDiscoveryContract {
    private final InMemoryServiceDiscovery discovery = new InMemoryServiceDiscovery();

    @Override
    protected ServiceDiscovery announcer() {
        return discovery;
    }

    @Override
    protected ServiceDiscovery watcher() {
        return discovery;
    }
}
