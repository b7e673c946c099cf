package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.port.KeyRegistry;

/** The request path's key cache against a registry whose answers the test hands out one by one. */
class KeyLookupChangesTest {
    static final PlanCatalog PLANS = new PlanCatalog(List.of(new Plan("free", 600, 10, 5)), "free");
    /** Shaped like an issued key id: other ids never reach the registry. */
    static final String ID = "otk_AAAAAAAAAAAAAAAAAAAA";
    static final ApiKey KEY = new ApiKey(ID, "dev-1", "", KeyType.SECRET, Set.of(Scope.MARKET_READ), "free",
            List.of("hash"), 0, null, List.of(), 0, KeyStatus.ACTIVE, 1000, 0);

    final Queue<CompletableFuture<Optional<ApiKey>>> loads = new ConcurrentLinkedQueue<>();
    final AtomicReference<Consumer<String>> listener = new AtomicReference<>();
    @SuppressWarnings("unchecked")
    final KeyRegistry registry = (KeyRegistry) Proxy.newProxyInstance(KeyRegistry.class.getClassLoader(),
            new Class<?>[] {KeyRegistry.class}, (proxy, method, args) -> switch (method.getName()) {
                case "key" -> {
                    CompletableFuture<Optional<ApiKey>> load = new CompletableFuture<>();
                    loads.add(load);
                    yield load;
                }
                case "onChange" -> {
                    listener.set((Consumer<String>) args[0]);
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });
    final KeyLookup lookup = new KeyLookup(registry, PLANS, 3_600_000, () -> 0L);

    @Test
    void aKeyLoadedWhileAChangeToItArrivesIsReadAgainNextTime() throws Exception {
        CompletableFuture<Optional<ResolvedKey>> first = lookup.key(ID).toCompletableFuture();
        listener.get().accept("key:" + ID); // e.g. a revocation, published while the load was in flight
        loads.poll().complete(Optional.of(KEY));
        assertEquals(KeyStatus.ACTIVE, first.get().orElseThrow().key().status());

        lookup.key(ID);

        assertEquals(1, loads.size(), "the copy loaded across the change was cached");
    }

    @Test
    void everythingCachedIsReadAgainAfterTheRegistryMayHaveMissedChanges() throws Exception {
        lookup.key(ID);
        loads.poll().complete(Optional.of(KEY));
        lookup.key(ID);
        assertEquals(0, loads.size(), "cached");

        listener.get().accept(KeyRegistry.EVERYTHING);
        lookup.key(ID);

        assertEquals(1, loads.size());
    }

    /**
     * Redis's pub/sub connection can reconnect (and report that changes may have been missed) before
     * the command connection does: a key seen before is then served from its last copy, as during an
     * outage, rather than answered 503 until the store answers again.
     */
    @Test
    void afterMissedChangesAKeyIsServedFromItsLastCopyWhileTheStoreCannotAnswerYet() throws Exception {
        lookup.key(ID);
        loads.poll().complete(Optional.of(KEY));
        listener.get().accept(KeyRegistry.EVERYTHING);

        CompletableFuture<Optional<ResolvedKey>> during = lookup.key(ID).toCompletableFuture();
        loads.poll().completeExceptionally(new IllegalStateException("Currently not connected"));

        assertEquals(KEY, during.get().orElseThrow().key());
    }

    @Test
    void afterMissedChangesTheStoresAnswerWinsOverTheLastCopy() throws Exception {
        lookup.key(ID);
        loads.poll().complete(Optional.of(KEY));
        listener.get().accept(KeyRegistry.EVERYTHING);

        CompletableFuture<Optional<ResolvedKey>> after = lookup.key(ID).toCompletableFuture();
        loads.poll().complete(Optional.empty()); // e.g. a Redis restart that lost its data

        assertEquals(Optional.empty(), after.get());
        lookup.key(ID);
        assertEquals(0, loads.size(), "the store's answer is cached");
    }
}
