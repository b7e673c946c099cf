package org.opentrade.market.adapter.questdb;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.market.port.TimeSeriesStore;
import org.opentrade.market.port.TimeSeriesStoreContract;

class QuestDbTimeSeriesStoreTest extends TimeSeriesStoreContract {
    @TempDir
    Path dir;

    @Override
    protected TimeSeriesStore newStore() {
        return new QuestDbTimeSeriesStore(dir.resolve("questdb"));
    }

    @Override
    protected TimeSeriesStore reopen(TimeSeriesStore old) {
        old.close();
        return new QuestDbTimeSeriesStore(dir.resolve("questdb"));
    }

    @Test
    void plans() {
        QuestDbTimeSeriesStore s = (QuestDbTimeSeriesStore) store;
        for (ReadSession.Query q : ReadSession.Query.values()) {
            System.out.println(q + "\n" + s.plan(q));
        }
    }
}
