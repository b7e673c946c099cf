package org.opentrade.gateway.domain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * Keys and developers as the request path reads them: cached for a short time so a Redis registry is
 * not asked on every call, dropped at once when the registry reports a change (the admin kill switch
 * and revocations reach every gateway through that), and served stale while the store is
 * unreachable, so a Redis outage never turns valid keys into authentication failures. A key's plan is
 * resolved against the catalog when the key is loaded, not on each request; a plan change is a key
 * change, so it drops the cached copy like any other.
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
        if (change.startsWith("key:")) {
            keys.remove(change.substring(4));
        } else if (change.startsWith("developer:")) {
            String developerId = change.substring(10);
            developers.remove(developerId);
            keys.values().removeIf(e -> e.value().isPresent() && e.value().get().key().developerId().equals(developerId));
        }
    }

    private CompletionStage<Optional<ResolvedKey>> loadKey(String keyId) {
        return registry.key(keyId).thenApply(k -> k.map(key -> ResolvedKey.of(key, plans.planOrDefault(key.plan()))));
    }

    private <T> CompletionStage<Optional<T>> cached(Map<String, Entry<T>> cache, String id,
                                                   Function<String, CompletionStage<Optional<T>>> load) {
        long now = nowMillis.getAsLong();
        Entry<T> e = cache.get(id);
        if (e != null && now - e.loadedAt() < ttlMillis) {
            return CompletableFuture.completedFuture(e.value());
        }
        CompletableFuture<Optional<T>> result = new CompletableFuture<>();
        load.apply(id).whenComplete((value, err) -> {
            if (err == null) {
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
                cache.put(id, new Entry<>(value, now));
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
