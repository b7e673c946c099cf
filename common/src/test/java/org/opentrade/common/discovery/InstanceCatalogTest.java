package org.opentrade.common.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceCatalogTest {
    private static final ServiceInstance M1 = ServiceInstance.of("market-api", "m1", "10.0.0.1", 8081);
    private static final ServiceInstance M2 = ServiceInstance.of("market-api", "m2", "10.0.0.2", 8081);
    private static final ServiceInstance T1 = ServiceInstance.of("trade-api", "t1", "10.0.0.1", 8082);

    private final InstanceCatalog catalog = new InstanceCatalog();

    /** What one watcher was told, call by call. */
    private static final class Recorder implements InstanceListener {
        final List<ServiceInstances> sets = new ArrayList<>();
        final List<List<InstanceChange>> changes = new ArrayList<>();

        @Override
        public void changed(ServiceInstances current, List<InstanceChange> c) {
            sets.add(current);
            changes.add(c);
        }

        ServiceInstances last() {
            return sets.get(sets.size() - 1);
        }
    }

    @Test
    void aWatcherGetsTheCurrentSetFirstThenEachChange() {
        catalog.upsert(M1);
        Recorder r = new Recorder();
        catalog.watch("market-api", r);
        assertEquals(List.of(new InstanceChange(InstanceChange.Kind.ADDED, M1)), r.changes.get(0));

        catalog.upsert(M2);
        catalog.upsert(M1.asDraining());
        catalog.remove("m1");
        assertEquals(List.of(
                List.of(new InstanceChange(InstanceChange.Kind.ADDED, M1)),
                List.of(new InstanceChange(InstanceChange.Kind.ADDED, M2)),
                List.of(new InstanceChange(InstanceChange.Kind.UPDATED, M1.asDraining())),
                List.of(new InstanceChange(InstanceChange.Kind.REMOVED, M1.asDraining()))), r.changes);
        assertEquals(List.of(M2), r.last().all());
    }

    @Test
    void aWatcherOfAnEmptyServiceIsCalledOnceWithNothing() {
        Recorder r = new Recorder();
        catalog.watch("trade-api", r);
        assertEquals(1, r.sets.size());
        assertTrue(r.last().isEmpty());
        assertEquals(List.of(), r.changes.get(0));
    }

    @Test
    void repeatedAnnouncementsAndUnknownRemovalsTellNobody() {
        catalog.upsert(M1);
        Recorder r = new Recorder();
        catalog.watch("market-api", r);
        assertEquals(List.of(), catalog.upsert(M1));
        assertEquals(List.of(), catalog.remove("unknown"));
        assertEquals(1, r.sets.size());
    }

    @Test
    void watchersSeeOnlyTheirServiceAndStopWhenCancelled() {
        Recorder market = new Recorder();
        Recorder trade = new Recorder();
        Watch marketWatch = catalog.watch("market-api", market);
        catalog.watch("trade-api", trade);
        catalog.upsert(T1);
        catalog.upsert(M1);
        assertEquals(List.of(M1), market.last().all());
        assertEquals(List.of(T1), trade.last().all());
        assertEquals(2, market.sets.size());

        marketWatch.cancel();
        catalog.upsert(M2);
        assertEquals(2, market.sets.size());
        assertEquals(List.of(M1, M2), catalog.current("market-api").all());
    }

    @Test
    void aResyncRemovesWhatIsGoneAndUpdatesWhatChangedAcrossServices() {
        catalog.upsert(M1);
        catalog.upsert(M2);
        catalog.upsert(T1);
        Recorder market = new Recorder();
        Recorder trade = new Recorder();
        catalog.watch("market-api", market);
        catalog.watch("trade-api", trade);

        List<InstanceChange> changes = catalog.replaceAll(List.of(M2.asDraining()));
        assertEquals(3, changes.size(), changes.toString());
        assertEquals(List.of(new InstanceChange(InstanceChange.Kind.REMOVED, M1),
                new InstanceChange(InstanceChange.Kind.UPDATED, M2.asDraining())), market.changes.get(1));
        assertEquals(List.of(new InstanceChange(InstanceChange.Kind.REMOVED, T1)), trade.changes.get(1));
        assertTrue(catalog.current("trade-api").isEmpty());
        // A removal after the resync still finds the instance's service.
        assertEquals(List.of(new InstanceChange(InstanceChange.Kind.REMOVED, M2.asDraining())), catalog.remove("m2"));
    }

    @Test
    void anIdAnnouncedUnderAnotherServiceMoves() {
        catalog.upsert(M1);
        ServiceInstance moved = ServiceInstance.of("trade-api", "m1", "10.0.0.1", 8082);
        List<InstanceChange> changes = catalog.upsert(moved);
        assertEquals(List.of(new InstanceChange(InstanceChange.Kind.REMOVED, M1),
                new InstanceChange(InstanceChange.Kind.ADDED, moved)), changes);
        assertTrue(catalog.current("market-api").isEmpty());
    }

    @Test
    void aFailingWatcherDoesNotStopTheOthersOrTheChange() {
        catalog.watch("market-api", (set, changes) -> {
            if (!changes.isEmpty()) {
                throw new IllegalStateException("broken watcher");
            }
        });
        Recorder r = new Recorder();
        catalog.watch("market-api", r);
        catalog.upsert(M1);
        assertEquals(List.of(M1), r.last().all());
        assertEquals(List.of(M1), catalog.current("market-api").all());
    }
}
