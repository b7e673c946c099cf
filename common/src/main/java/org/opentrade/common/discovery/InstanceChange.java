package org.opentrade.common.discovery;

import java.util.Objects;

/**
 * One change to the instances of a service.
 *
 * @param kind     what happened
 * @param instance the instance as it is now; for {@link Kind#REMOVED}, as it was last known
 */
public record InstanceChange(Kind kind, ServiceInstance instance) {
    /** What happened to an instance. */
    public enum Kind {
        /** A new instance id. */
        ADDED,
        /** A known id announced other values (draining, weight, address). */
        UPDATED,
        /** The instance withdrew, or its cluster member left. */
        REMOVED
    }

    public InstanceChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(instance, "instance");
    }
}
