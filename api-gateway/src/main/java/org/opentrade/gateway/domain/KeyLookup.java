package org.opentrade.gateway.domain;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * Keys and developers as the request path reads them: cached for a short time so a Redis registry is
 * not asked on every call, dropped at once when the registry reports a change (the admin kill switch
 * and revocations reach every gateway through that), and served stale while the store is
 * unreachable, so a Redis outage never turns valid keys into authentication failures. A key's plan is
 * resolved and its allow-list parsed when the key is loaded, not on each request; a plan change is a
 * key change, so it drops the cached copy like any other.
 *
 * <p>Anyone may send any {@code X-API-Key}, so the cache is built not to be flushed by made-up ids:
 * an id not shaped like ours is unknown without asking the store; an unknown well-formed id is
 * remembered apart from real keys, in a small cache, for a short time (so a key created meanwhile is
 * found soon even if its change notice is lost); and real keys, which only key holders can add, are
 * evicted least recently used first when the cache is full, never all at once.
 *
 * <p>When the registry may have missed changes ({@link KeyRegistry#EVERYTHING}, e.g. its change
 * channel reconnected) every cached key and developer expires: each is read again on its next use,
 * and only if that read fails is the last known copy served, as during an outage. Expired, not
 * dropped, because the change channel can be back before the store answers reads (Redis's pub/sub
 * connection reconnecting before the command connection did): dropping answered valid keys 503 in
 * that window. Remembered unknown ids are dropped. A load that was in flight when any change arrived
 * answers its caller but is not cached, so it cannot put back what the change dropped.
 *
 * <p>Thread-safe; never blocks.
 */
public final class KeyLookup {
    private record Entry<T>(Optional<T> value, long loadedAt) {
        /** The same copy, to be read again on its next use (served only while the store cannot answer). */
        Entry<T> expired() {
            return new Entry<>(value, EXPIRED);
        }
    }

    /** The load time of an expired entry: older than any TTL from any clock reading near the present. */
    private static final long EXPIRED = Long.MIN_VALUE / 2;

    /** Real keys (and developers) kept: a gateway's working set of keys, ~1 KiB each. */
    public static final int DEFAULT_MAX_KEYS = 200_000;
    /** Unknown key ids remembered: enough for misconfigured clients retrying, small for a flood. */
    public static final int DEFAULT_MAX_MISSES = 10_000;
    /** How long an unknown key id is remembered: short, so a new key is found soon. */
    public static final long DEFAULT_MISS_TTL_MILLIS = 5_000;

    private final KeyRegistry registry;
    private final PlanCatalog plans;
    private final long ttlMillis;
    private final long missTtlMillis;
    private final LongSupplier nowMillis;
    private final LruCache<Entry<ResolvedKey>> keys;
    private final LruCache<Long> misses;
    private final LruCache<Entry<Developer>> developers;
    /** Counts changes heard: a load caches its result only if none came while it was in flight. */
    private final AtomicLong changesHeard = new AtomicLong();

    /** With the default bounds; subscribes to the registry's changes. */
    public KeyLookup(KeyRegistry registry, PlanCatalog plans, long ttlMillis, LongSupplier nowMillis) {
        this(registry, plans, ttlMillis, nowMillis, DEFAULT_MAX_KEYS, DEFAULT_MAX_MISSES,
                Math.min(ttlMillis, DEFAULT_MISS_TTL_MILLIS));
    }

    /**
     * @param maxKeys       real keys cached (and, apart, developers); least recently used evicted first
     * @param maxMisses     unknown key ids remembered; least recently used evicted first
     * @param missTtlMillis how long an unknown key id is answered without asking the store
     */
    public KeyLookup(KeyRegistry registry, PlanCatalog plans, long ttlMillis, LongSupplier nowMillis, int maxKeys,
                     int maxMisses, long missTtlMillis) {
        this.registry = registry;
        this.plans = plans;
        this.ttlMillis = ttlMillis;
        this.missTtlMillis = missTtlMillis;
        this.nowMillis = nowMillis;
        this.keys = new LruCache<>(maxKeys);
        this.misses = new LruCache<>(maxMisses);
        this.developers = new LruCache<>(maxKeys);
        registry.onChange(this::invalidate);
    }

    /** The key with its plan resolved; empty, without asking the store, for an id not shaped like ours. */
    public CompletionStage<Optional<ResolvedKey>> key(String keyId) {
        if (!ApiSecrets.isKeyId(keyId)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long now = nowMillis.getAsLong();
        Entry<ResolvedKey> e = keys.get(keyId);
        if (e != null && now - e.loadedAt() < ttlMillis) {
            return CompletableFuture.completedFuture(e.value());
        }
        Long missedAt = misses.get(keyId);
        if (missedAt != null) {
            if (now - missedAt < missTtlMillis) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            misses.remove(keyId);
        }
        CompletableFuture<Optional<ResolvedKey>> result = new CompletableFuture<>();
        long heardBefore = changesHeard.get();
        registry.key(keyId).whenComplete((found, err) -> {
            if (err == null) {
                Optional<ResolvedKey> value = found.map(k -> ResolvedKey.of(k, plans.planOrDefault(k.plan())));
                if (value.isPresent()) {
                    keys.put(keyId, new Entry<>(value, now));
                } else {
                    keys.remove(keyId);
                    misses.put(keyId, now);
                }
                if (changesHeard.get() != heardBefore) {
                    keys.remove(keyId); // a change came while loading: this copy may predate it
                    misses.remove(keyId);
                }
                result.complete(value);
            } else if (e != null) {
                result.complete(e.value()); // store down: the last known key beats a false "unknown key"
            } else {
                result.completeExceptionally(err);
            }
        });
        return result;
    }

    public CompletionStage<Optional<Developer>> developer(String developerId) {
        return cached(developers, developerId, registry::developer);
    }

    /** Unknown key ids currently remembered; for tests and metrics. */
    public int cachedMisses() {
        return misses.size();
    }

    /**
     * Drops what a change makes stale: for {@code key:<id>} that key (or its remembered absence); for
     * {@code developer:<id>} the developer and their cached keys, since a key stored before per-key
     * plans is read with its developer's plan. That is a scan of the key cache, affordable because
     * developer changes (suspension, plan) are rare administrator actions.
     */
    public void invalidate(String change) {
        changesHeard.incrementAndGet();
        if (KeyRegistry.EVERYTHING.equals(change)) {
            keys.replaceAll(Entry::expired);
            misses.removeIf(e -> true);
            developers.replaceAll(Entry::expired);
        } else if (change.startsWith("key:")) {
            String keyId = change.substring(4);
            keys.remove(keyId);
            misses.remove(keyId);
        } else if (change.startsWith("developer:")) {
            String developerId = change.substring(10);
            developers.remove(developerId);
            keys.removeIf(e -> e.value().isPresent() && e.value().get().key().developerId().equals(developerId));
        }
    }

    /** Developer ids come from stored keys and signed sessions, never from arbitrary request text. */
    private <T> CompletionStage<Optional<T>> cached(LruCache<Entry<T>> cache, String id,
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
