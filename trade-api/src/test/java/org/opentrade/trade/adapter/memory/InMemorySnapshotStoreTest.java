package org.opentrade.trade.adapter.memory;

import org.opentrade.trade.port.SnapshotStore;
import org.opentrade.trade.port.SnapshotStoreContract;

class InMemorySnapshotStoreTest extends SnapshotStoreContract {
    @Override
    protected SnapshotStore newStore() {
        return new InMemorySnapshotStore();
    }
}
