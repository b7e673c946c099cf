package org.opentrade.exchange.adapter.memory;

import org.opentrade.exchange.port.SnapshotStore;
import org.opentrade.exchange.port.SnapshotStoreContract;

class InMemorySnapshotStoreTest extends SnapshotStoreContract {
    @Override
    protected SnapshotStore newStore() {
        return new InMemorySnapshotStore();
    }

    /** Nothing to reopen: the store lives as long as the object. */
    @Override
    protected SnapshotStore reopen(SnapshotStore store) {
        return store;
    }
}
