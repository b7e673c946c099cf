package org.opentrade.trade.adapter.memory;

import org.opentrade.trade.port.IntentStore;
import org.opentrade.trade.port.IntentStoreContract;

class InMemoryIntentStoreTest extends IntentStoreContract {
    @Override
    protected IntentStore newStore() {
        return new InMemoryIntentStore(3);
    }

    @Override
    protected int instanceId() {
        return 3;
    }
}
