package org.opentrade.market.adapter.memory;

import org.opentrade.market.port.TimeSeriesStore;
import org.opentrade.market.port.TimeSeriesStoreContract;

class InMemoryTimeSeriesStoreTest extends TimeSeriesStoreContract {
    @Override
    protected TimeSeriesStore newStore() {
        return new InMemoryTimeSeriesStore();
    }

    @Override
    protected TimeSeriesStore reopen(TimeSeriesStore store) {
        return store; // the heap is the data: "reopening" keeps it
    }
}
