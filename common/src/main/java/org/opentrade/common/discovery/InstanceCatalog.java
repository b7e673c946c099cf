package org.opentrade.common.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What one process knows of every service's instances, fed by a discovery adapter (one entry
 * announced, updated or removed at a time, or a whole resynchronised listing) and read by watchers
 * per service. Each change is turned into {@link InstanceChange}s and handed to the service's
 * watchers only when something really changed, so a repeated announcement or a resync that finds
 * nothing new costs the watchers nothing.
 *
 * <p>Thread-safe. Changes are applied and their listeners called under one lock, so every watcher
 * sees every change once and in order; listeners must therefore be short and must not call back
 * into the catalog. An instance id belongs to one service: announcing it under another service
 * moves it.
 */
public final class InstanceCatalog {
    private static final Logger LOG = Logger.getLogger(InstanceCatalog.class.getName());
    private final Map<String, ServiceInstances> byService = new HashMap<>();
    /** Which service each known instance id is in. */
    private final Map<String, String> serviceOf = new HashMap<>();
    private final Map<String, List<InstanceListener>> watchers = new HashMap<>();

    /**
     * Calls {@code listener} at once with the current instances of {@code service} (an ADDED per
     * instance), then on each change until the watch is cancelled.
     */
    public synchronized Watch watch(String service, InstanceListener listener) {
        Objects.requireNonNull(listener, "listener");
        ServiceInstances current = current(service);
        List<InstanceChange> initial = ServiceInstances.empty(service).changesTo(current);
        List<InstanceListener> list = watchers.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
        list.add(listener);
        listener.changed(current, initial);
        return () -> {
            synchronized (InstanceCatalog.this) {
                list.remove(listener);
            }
        };
    }

    /** The instances of {@code service} now (empty when none is known). */
    public synchronized ServiceInstances current(String service) {
        ServiceInstances s = byService.get(service);
        return s != null ? s : ServiceInstances.empty(service);
    }

    /** Adds or replaces {@code instance}; returns the changes (empty when it was known as it is). */
    public synchronized List<InstanceChange> upsert(ServiceInstance instance) {
        List<InstanceChange> changes = new ArrayList<>();
        String before = serviceOf.get(instance.instanceId());
        if (before != null && !before.equals(instance.service())) {
            changes.addAll(replace(before, current(before).without(instance.instanceId())));
        }
        serviceOf.put(instance.instanceId(), instance.service());
        changes.addAll(replace(instance.service(), current(instance.service()).with(instance)));
        return changes;
    }

    /** Removes the instance with {@code instanceId}; returns the change (empty when it was not known). */
    public synchronized List<InstanceChange> remove(String instanceId) {
        String service = serviceOf.remove(instanceId);
        if (service == null) {
            return List.of();
        }
        return replace(service, current(service).without(instanceId));
    }

    /**
     * Makes {@code all} the complete truth (a resync after listing the whole registry): instances
     * not in it are removed, the others added or updated. Ids must be distinct.
     */
    public synchronized List<InstanceChange> replaceAll(Collection<ServiceInstance> all) {
        Map<String, List<ServiceInstance>> grouped = new LinkedHashMap<>();
        for (ServiceInstance i : all) {
            grouped.computeIfAbsent(i.service(), s -> new ArrayList<>()).add(i);
        }
        Set<String> services = new HashSet<>(byService.keySet());
        services.addAll(grouped.keySet());
        List<InstanceChange> changes = new ArrayList<>();
        serviceOf.clear();
        for (ServiceInstance i : all) {
            serviceOf.put(i.instanceId(), i.service());
        }
        for (String service : services) {
            changes.addAll(replace(service, ServiceInstances.of(service, grouped.getOrDefault(service, List.of()))));
        }
        return changes;
    }

    private List<InstanceChange> replace(String service, ServiceInstances next) {
        ServiceInstances previous = current(service);
        List<InstanceChange> changes = previous.changesTo(next);
        if (changes.isEmpty()) {
            return changes;
        }
        if (next.isEmpty()) {
            byService.remove(service);
        } else {
            byService.put(service, next);
        }
        for (InstanceListener l : watchers.getOrDefault(service, List.of())) {
            try {
                l.changed(next, changes);
            } catch (RuntimeException e) {
                // One broken watcher must not keep the others (or the catalog) behind.
                LOG.log(Level.WARNING, "instance listener of " + service + " failed", e);
            }
        }
        return changes;
    }
}
