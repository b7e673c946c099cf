package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.port.Await;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * The key cache under hostile input: junk key ids never reach the store, unknown ids are remembered
 * apart from real keys and only briefly, and real keys are evicted least recently used first, so no
 * flood of made-up ids can push a real key out and turn it into 503 -9003 while the store is down.
 */
class KeyLookupTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FakeRegistry store = new FakeRegistry();

    private KeyLookup lookup(int maxKeys, int maxMisses, long missTtlMillis) {
        return new KeyLookup(store, PlanCatalog.standard(), 30_000, now::get, maxKeys, maxMisses, missTtlMillis);
    }

    private static ApiKey key(String id, List<String> cidrs) {
        return new ApiKey(id, "dev_1", "", KeyType.SECRET, Set.of(Scope.MARKET_READ), "free", List.of("h"), 0, null,
                cidrs, 0, KeyStatus.ACTIVE, 1, 0);
    }

    @Test
    void keyIdsNotShapedLikeOursAreUnknownWithoutAskingTheStore() throws Exception {
        KeyLookup lookup = lookup(100, 100, 5_000);
        store.down = true;
        for (String id : List.of("", "otk_", "otk_x", "otk_nosuchkey", "otk_ABCDEFGHIJKLMNOPQRS!", "xyz_ABCDEFGHIJKLMNOPQRST",
                "otk_ABCDEFGHIJKLMNOPQRSTU", "otk_ABCDEFGHIJKLMNOPQRS\u00e9", "a".repeat(10_000))) {
            assertEquals(Optional.empty(), Await.result(lookup.key(id)), id);
        }
        assertEquals(0, store.keyReads.get());
        assertTrue(ApiSecrets.isKeyId(ApiSecrets.newKeyId()));
    }

    @Test
    void aFloodOfUnknownKeyIdsDoesNotPushARealKeyOutOfTheCache() throws Exception {
        KeyLookup lookup = lookup(1_000, 100, 5_000);
        store.put(key("otk_REALREALREALREALREAL", List.of()));
        assertTrue(Await.result(lookup.key("otk_REALREALREALREALREAL")).isPresent());
        for (int i = 0; i < 250_000; i++) {
            Await.result(lookup.key(String.format("otk_%020d", i)));
        }
        store.down = true;
        now.addAndGet(60_000);
        assertTrue(Await.result(lookup.key("otk_REALREALREALREALREAL")).isPresent(), "served from the cache while the store is down");
        assertTrue(lookup.cachedMisses() <= 100, "misses held: " + lookup.cachedMisses());
    }

    @Test
    void anUnknownIdIsRememberedBrieflyThenAskedAgain() throws Exception {
        KeyLookup lookup = lookup(100, 100, 5_000);
        String id = "otk_LATERLATERLATERLATER";
        assertEquals(Optional.empty(), Await.result(lookup.key(id)));
        assertEquals(Optional.empty(), Await.result(lookup.key(id)));
        assertEquals(1, store.keyReads.get(), "the second ask is answered from the miss cache");
        store.keys.put(id, key(id, List.of())); // written without a change notice reaching this gateway
        now.addAndGet(5_000);
        assertTrue(Await.result(lookup.key(id)).isPresent());
    }

    @Test
    void aChangeNoticeForgetsAMissAtOnce() throws Exception {
        KeyLookup lookup = lookup(100, 100, 5_000);
        String id = "otk_NEWNEWNEWNEWNEWNEWNE";
        assertEquals(Optional.empty(), Await.result(lookup.key(id)));
        store.put(key(id, List.of()));
        assertTrue(Await.result(lookup.key(id)).isPresent());
    }

    @Test
    void theLeastRecentlyUsedKeyIsEvictedFirst() throws Exception {
        KeyLookup lookup = lookup(2, 10, 5_000);
        for (String id : List.of("otk_AAAAAAAAAAAAAAAAAAAA", "otk_BBBBBBBBBBBBBBBBBBBB", "otk_CCCCCCCCCCCCCCCCCCCC")) {
            store.put(key(id, List.of()));
        }
        Await.result(lookup.key("otk_AAAAAAAAAAAAAAAAAAAA"));
        Await.result(lookup.key("otk_BBBBBBBBBBBBBBBBBBBB"));
        Await.result(lookup.key("otk_AAAAAAAAAAAAAAAAAAAA")); // A is now the most recently used
        Await.result(lookup.key("otk_CCCCCCCCCCCCCCCCCCCC")); // evicts B
        store.down = true;
        assertTrue(Await.result(lookup.key("otk_AAAAAAAAAAAAAAAAAAAA")).isPresent());
        assertTrue(Await.result(lookup.key("otk_CCCCCCCCCCCCCCCCCCCC")).isPresent());
        assertThrows(IllegalStateException.class, () -> Await.result(lookup.key("otk_BBBBBBBBBBBBBBBBBBBB")));
    }

    @Test
    void aLoadedKeyCarriesItsAllowListParsed() throws Exception {
        KeyLookup lookup = lookup(100, 100, 5_000);
        store.put(key("otk_CIDRCIDRCIDRCIDRCIDR", List.of("203.0.113.0/24", "2001:db8::/32")));
        ResolvedKey k = Await.result(lookup.key("otk_CIDRCIDRCIDRCIDRCIDR")).orElseThrow();
        assertEquals(2, k.allowList().size());
        assertTrue(k.allowList().get(0).contains(Cidr.literal("203.0.113.9").orElseThrow()));
        assertFalse(k.allowList().get(1).contains(Cidr.literal("203.0.113.9").orElseThrow()));
    }

    /** Keys in a map; counts key reads; fails every call while {@code down}. */
    static final class FakeRegistry implements KeyRegistry {
        final Map<String, ApiKey> keys = new ConcurrentHashMap<>();
        final AtomicInteger keyReads = new AtomicInteger();
        volatile boolean down;
        private Consumer<String> listener = c -> { };

        void put(ApiKey k) {
            keys.put(k.id(), k);
            listener.accept("key:" + k.id());
        }

        private <T> CompletionStage<T> answer(T value) {
            return down ? CompletableFuture.failedFuture(new IllegalStateException("store down"))
                    : CompletableFuture.completedFuture(value);
        }

        @Override
        public CompletionStage<List<ApiKey>> revokedBefore(long timeMillis, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Optional<ApiKey>> key(String keyId) {
            keyReads.incrementAndGet();
            return answer(Optional.ofNullable(keys.get(keyId)));
        }

        @Override
        public CompletionStage<Optional<Developer>> developer(String developerId) {
            return answer(Optional.empty());
        }

        @Override
        public void onChange(Consumer<String> l) {
            listener = l;
        }

        @Override
        public CompletionStage<Boolean> addDeveloper(Developer developer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Optional<Developer>> updateDeveloper(String id, UnaryOperator<Developer> change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Optional<Developer>> developerByEmail(String email) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<List<Developer>> developers(ListPosition after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> putKey(ApiKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> deleteKey(ApiKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Boolean> createKey(ApiKey key, int maxLiveKeys) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Optional<ApiKey>> updateKey(String keyId, UnaryOperator<ApiKey> change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<List<ApiKey>> keysOf(String developerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<List<ApiKey>> keys(ListPosition after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> close() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
