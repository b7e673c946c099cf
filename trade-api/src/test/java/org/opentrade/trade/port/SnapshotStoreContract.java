package org.opentrade.trade.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.trade.port.SnapshotStore.Snapshot;

/** What every {@link SnapshotStore} promises; the in-memory and the file adapter both run it. */
public abstract class SnapshotStoreContract {
    protected SnapshotStore store;

    protected abstract SnapshotStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @Test
    void aNewStoreHasNoSnapshot() {
        assertEquals(Optional.empty(), store.latest());
    }

    @Test
    void latestIsTheLastWrittenWithItsPositionsAndBytes() {
        store.write(7, Map.of(0, 100L), new byte[]{1, 2, 3});
        store.write(9, Map.of(0, 120L, 3, 5L), new byte[]{4, 5});
        Snapshot s = store.latest().orElseThrow();
        assertEquals(9, s.intentIndex());
        assertEquals(Map.of(0, 120L, 3, 5L), s.feedPositions());
        assertEquals(new Snapshot(9, Map.of(0, 120L, 3, 5L), new byte[]{4, 5}), s);
    }

    @Test
    void theStoredBytesAreACopyTheCallerCannotChange() {
        byte[] ledger = {1, 2, 3};
        store.write(1, Map.of(), ledger);
        ledger[0] = 99;
        store.latest().orElseThrow().ledgerBytes()[1] = 99;
        assertEquals(new Snapshot(1, Map.of(), new byte[]{1, 2, 3}), store.latest().orElseThrow());
    }

    @Test
    void anEmptyLedgerAndNoFeedPositionsAreASnapshotToo() {
        store.write(0, Map.of(), new byte[0]);
        assertEquals(new Snapshot(0, Map.of(), new byte[0]), store.latest().orElseThrow());
    }
}
