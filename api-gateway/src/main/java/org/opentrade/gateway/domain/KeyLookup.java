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
 * unreachable, so a Redis outage never turns valid keys into authentication failures.
 *
 * <p>Thread-safe; never blocks.
 */
public final class KeyLookup {
    private record Entry<T>(Optional<T> value, long loadedAt) {
    }

    private static final int MAX_ENTRIES = 200_000;

    private final KeyRegistry registry;
    private final long ttlMillis;
    private final LongSupplier nowMillis;
    private final Map<String, Entry<ApiKey>> keys = new ConcurrentHashMap<>();
    private final Map<String, Entry<Developer>> developers = new ConcurrentHashMap<>();

    /** Subscribes to the registry's changes. */
    public KeyLookup(KeyRegistry registry, long ttlMillis, LongSupplier nowMillis) {
        this.registry = registry;
        this.ttlMillis = ttlMillis;
        this.nowMillis = nowMillis;
        registry.onChange(this::invalidate);
    }

    public CompletionStage<Optional<ApiKey>> key(String keyId) {
        return cached(keys, keyId, registry::key);
    }

    public CompletionStage<Optional<Developer>> developer(String developerId) {
        return cached(developers, developerId, registry::developer);
    }

    /** Drops one cached entry: {@code key:<id>} or {@code developer:<id>}. */
    public void invalidate(String change) {
        if (change.startsWith("key:")) {
            keys.remove(change.substring(4));
        } else if (change.startsWith("developer:")) {
            developers.remove(change.substring(10));
        }
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
