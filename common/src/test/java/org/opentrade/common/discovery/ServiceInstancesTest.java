package org.opentrade.common.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceInstancesTest {
    private static final ServiceInstance A = ServiceInstance.of("market-api", "a", "10.0.0.1", 8081);
    private static final ServiceInstance B = ServiceInstance.of("market-api", "b", "10.0.0.2", 8081);

    @Test
    void changesListRemovalsThenAdditionsAndUpdatesInIdOrder() {
        ServiceInstances before = ServiceInstances.of("market-api", List.of(B, A));
        ServiceInstance c = ServiceInstance.of("market-api", "c", "10.0.0.3", 8081);
        ServiceInstances after = before.without("a").with(B.asDraining()).with(c);

        assertEquals(List.of(new InstanceChange(InstanceChange.Kind.REMOVED, A),
                new InstanceChange(InstanceChange.Kind.UPDATED, B.asDraining()),
                new InstanceChange(InstanceChange.Kind.ADDED, c)), before.changesTo(after));
        assertEquals(List.of(), after.changesTo(ServiceInstances.of("market-api", List.of(c, B.asDraining()))));
    }

    @Test
    void instancesAreListedInIdOrderAndOnlyServingOnesServe() {
        ServiceInstance zeroWeight = new ServiceInstance("market-api", "c", "10.0.0.3", 8081, 0, false);
        ServiceInstances set = ServiceInstances.of("market-api", List.of(zeroWeight, B.asDraining(), A));
        assertEquals(List.of("a", "b", "c"), set.all().stream().map(ServiceInstance::instanceId).toList());
        assertEquals(List.of(A), set.serving());
    }

    @Test
    void unchangedWithAndUnknownWithoutReturnTheSameSet() {
        ServiceInstances set = ServiceInstances.of("market-api", List.of(A));
        assertSame(set, set.with(A));
        assertSame(set, set.without("nope"));
    }

    @Test
    void anInstanceOfAnotherServiceOrATwiceListedIdIsRefused() {
        ServiceInstance trade = ServiceInstance.of("trade-api", "t", "10.0.0.9", 8082);
        assertThrows(IllegalArgumentException.class, () -> ServiceInstances.empty("market-api").with(trade));
        assertThrows(IllegalArgumentException.class, () -> ServiceInstances.of("market-api", List.of(A, A.asDraining())));
    }

    @Test
    void badAnnouncementsFailNamingTheField() {
        IllegalArgumentException wildcard = assertThrows(IllegalArgumentException.class,
                () -> ServiceInstance.of("market-api", "a", "0.0.0.0", 8081));
        assertTrue(wildcard.getMessage().contains("wildcard"), wildcard.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceInstance.of("market-api", "a", "h", 0))
                .getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ServiceInstance("market-api", "a", "h", 1, ServiceInstance.MAX_WEIGHT + 1, false))
                .getMessage().contains("weight"));
        assertThrows(IllegalArgumentException.class, () -> ServiceInstance.of("market api", "a", "h", 1));
        assertThrows(IllegalArgumentException.class, () -> ServiceInstance.of("market-api", " ", "h", 1));
    }

    @Test
    void drainingOrZeroWeightDoesNotServe() {
        assertTrue(A.serving());
        assertFalse(A.asDraining().serving());
        assertFalse(new ServiceInstance("market-api", "a", "h", 1, 0, false).serving());
        assertEquals("10.0.0.1:8081", A.address());
    }
}
