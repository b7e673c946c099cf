package org.opentrade.common.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The instances of one service at one moment, ordered by instance id (so two gateways that know
 * the same instances list them alike). Immutable: a change makes a new set, and {@link #changesTo}
 * says what differs between two sets.
 */
public final class ServiceInstances {
    private final String service;
    /** By instance id, in id order. */
    private final Map<String, ServiceInstance> byId;

    private ServiceInstances(String service, Map<String, ServiceInstance> byId) {
        this.service = service;
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** No instances of {@code service}. */
    public static ServiceInstances empty(String service) {
        return new ServiceInstances(Objects.requireNonNull(service, "service"), new TreeMap<>());
    }

    /** The set holding exactly {@code instances}, which must all be of {@code service} and have distinct ids. */
    public static ServiceInstances of(String service, Iterable<ServiceInstance> instances) {
        TreeMap<String, ServiceInstance> map = new TreeMap<>();
        for (ServiceInstance i : instances) {
            requireService(service, i);
            if (map.put(i.instanceId(), i) != null) {
                throw new IllegalArgumentException("instance id " + i.instanceId() + " of " + service + " appears twice");
            }
        }
        return new ServiceInstances(service, map);
    }

    public String service() {
        return service;
    }

    /** Every instance, draining ones included, in id order. */
    public List<ServiceInstance> all() {
        return List.copyOf(byId.values());
    }

    /** The instances that take new requests ({@link ServiceInstance#serving()}), in id order. */
    public List<ServiceInstance> serving() {
        List<ServiceInstance> out = new ArrayList<>(byId.size());
        for (ServiceInstance i : byId.values()) {
            if (i.serving()) {
                out.add(i);
            }
        }
        return out;
    }

    /** The instance with this id, or null. */
    public ServiceInstance get(String instanceId) {
        return byId.get(instanceId);
    }

    public int size() {
        return byId.size();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** This set with {@code instance} added, or replacing the one with its id. */
    public ServiceInstances with(ServiceInstance instance) {
        requireService(service, instance);
        if (instance.equals(byId.get(instance.instanceId()))) {
            return this;
        }
        TreeMap<String, ServiceInstance> map = new TreeMap<>(byId);
        map.put(instance.instanceId(), instance);
        return new ServiceInstances(service, map);
    }

    /** This set without the instance with {@code instanceId} (the same set when there is none). */
    public ServiceInstances without(String instanceId) {
        if (!byId.containsKey(instanceId)) {
            return this;
        }
        TreeMap<String, ServiceInstance> map = new TreeMap<>(byId);
        map.remove(instanceId);
        return new ServiceInstances(service, map);
    }

    /**
     * What turns this set into {@code next}: removals first, then additions and updates, each in
     * id order. Empty when they hold the same instances.
     */
    public List<InstanceChange> changesTo(ServiceInstances next) {
        if (!next.service.equals(service)) {
            throw new IllegalArgumentException("cannot compare instances of " + service + " with " + next.service);
        }
        List<InstanceChange> changes = new ArrayList<>();
        for (ServiceInstance old : byId.values()) {
            if (!next.byId.containsKey(old.instanceId())) {
                changes.add(new InstanceChange(InstanceChange.Kind.REMOVED, old));
            }
        }
        for (ServiceInstance now : next.byId.values()) {
            ServiceInstance old = byId.get(now.instanceId());
            if (old == null) {
                changes.add(new InstanceChange(InstanceChange.Kind.ADDED, now));
            } else if (!old.equals(now)) {
                changes.add(new InstanceChange(InstanceChange.Kind.UPDATED, now));
            }
        }
        return changes;
    }

    private static void requireService(String service, ServiceInstance i) {
        if (!i.service().equals(service)) {
            throw new IllegalArgumentException("instance " + i.instanceId() + " is of " + i.service() + ", not " + service);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceInstances other && other.service.equals(service) && other.byId.equals(byId);
    }

    @Override
    public int hashCode() {
        return service.hashCode() * 31 + byId.hashCode();
    }

    @Override
    public String toString() {
        return service + byId.values();
    }
}
