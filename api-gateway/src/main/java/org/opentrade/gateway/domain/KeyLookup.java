package org.opentrade.gateway.domain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * Keys and developers as the request path reads them: cached for a short time so a Redis registry is
 * not asked on every call, dropped at once when the registry reports a change (the admin kill switch
 * and revocations reach every gateway through that), and served stale while the store is
 * unreachable, so a Redis outage never turns valid keys into authentication failures. A key's plan is
 * resolved against the catalog when the key is loaded, not on each request; a plan change is a key
 * change, so it drops the cached copy like any other. When the registry may have missed changes
 * ({@link KeyRegistry#EVERYTHING}) everything cached is dropped. A load that was in flight when any
 * change arrived answers its caller but is not cached, so it cannot put back what the change dropped.
 *
 * <p>Thread-safe; never blocks.
 */
public final class KeyLookup {
    private record Entry<T>(Optional<T> value, long loadedAt) {
    }

    private static final int MAX_ENTRIES = 200_000;

    private final KeyRegistry registry;
    private final PlanCatalog plans;
    private final long ttlMillis;
    private final LongSupplier nowMillis;
    private final Map<String, Entry<ResolvedKey>> keys = new ConcurrentHashMap<>();
    private final Map<String, Entry<Developer>> developers = new ConcurrentHashMap<>();
    /** Counts changes heard: a load caches its result only if none came while it was in flight. */
    private final AtomicLong changesHeard = new AtomicLong();

    /** Subscribes to the registry's changes. */
    public KeyLookup(KeyRegistry registry, PlanCatalog plans, long ttlMillis, LongSupplier nowMillis) {
        this.registry = registry;
        this.plans = plans;
        this.ttlMillis = ttlMillis;
        this.nowMillis = nowMillis;
        registry.onChange(this::invalidate);
    }

    /** The key with its plan resolved. */
    public CompletionStage<Optional<ResolvedKey>> key(String keyId) {
        return cached(keys, keyId, this::loadKey);
    }

    public CompletionStage<Optional<Developer>> developer(String developerId) {
        return cached(developers, developerId, registry::developer);
    }

    /**
     * Drops what a change makes stale: for {@code key:<id>} that key; for {@code developer:<id>} the
     * developer and their cached keys, since a key stored before per-key plans is read with its
     * developer's plan. That is a scan of the key cache, affordable because developer changes
     * (suspension, plan) are rare administrator actions.
     */
    public void invalidate(String change) {
        changesHeard.incrementAndGet();
        if (KeyRegistry.EVERYTHING.equals(change)) {
            keys.clear();
            developers.clear();
        } else if (change.startsWith("key:")) {
            keys.remove(change.substring(4));
        } else if (change.startsWith("developer:")) {
            String developerId = change.substring(10);
            developers.remove(developerId);
            keys.values().removeIf(e -> e.value().isPresent() && e.value().get().key().developerId().equals(developerId));
        }
    }

    private CompletionStage<Optional<ResolvedKey>> loadKey(String keyId) {
        return registry.key(keyId).thenApply(k -> k.map(key -> new ResolvedKey(key, plans.planOrDefault(key.plan()))));
    }

    private <T> CompletionStage<Optional<T>> cached(Map<String, Entry<T>> cache, String id,
                                                   Function<String, CompletionStage<Optional<T>>> load) {
        long now = nowMillis.getAsLong();
        Entry<T> e = cache.get(id);
        if (e != null && now - e.loadedAt() < ttlMillis) {
            return CompletableFuture.completedFuture(e.value());
        }
        CompletableFuture<Optional<T>> result = new CompletableFuture<>();
        long heardBefore = changesHeard.get();
        load.apply(id).whenComplete((value, err) -> {
            if (err == null) {
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
                cache.put(id, new Entry<>(value, now));
                if (changesHeard.get() != heardBefore) {
                    cache.remove(id); // a change came while loading: this copy may predate it
                }
                result.complete(value);
            } else if (e != null) {
                result.complete(e.value()); // store down: the last known answer beats a false "unknown key"
            } else {
                result.completeExceptionally(err);
            }
        });
        return result;
    }
}
