package org.opentrade.trade.adapter.memory;

import java.util.Map;
import java.util.Optional;
import org.opentrade.trade.port.SnapshotStore;

/** {@link SnapshotStore} in memory (tests, throw-away sandbox): keeps only the latest. Any thread. */
public final class InMemorySnapshotStore implements SnapshotStore {
    private Snapshot latest;

    @Override
    public synchronized void write(long intentIndex, Map<Integer, Long> feedPositions, byte[] ledgerBytes) {
        latest = new Snapshot(intentIndex, feedPositions, ledgerBytes);
    }

    @Override
    public synchronized Optional<Snapshot> latest() {
        return Optional.ofNullable(latest);
    }
}
