package org.opentrade.gateway.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.gateway.port.Await.result;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Scope;

/** What every {@link KeyRegistry} does; each adapter's test extends this with its own store. */
public abstract class KeyRegistryContract {

    /** A fresh, empty store. */
    protected abstract KeyRegistry newStore() throws Exception;

    /** Closes {@code store} and opens it again on the same data (embedded: same directory; Redis: same server). */
    protected abstract KeyRegistry reopen(KeyRegistry store) throws Exception;

    /**
     * Closes {@code store} and opens one holding, exactly as a gateway from before per-key plans wrote
     * them (keys without a plan): {@link #OLD_DEVELOPER}, {@link #OLD_SECRET_KEY}, {@link #OLD_SIGNED_KEY}
     * and {@link #OLD_ORPHAN_KEY} (whose developer does not exist), shown here with the plan they must
     * be read with.
     */
    protected abstract KeyRegistry storeWithRecordsFromBeforePlans(KeyRegistry store) throws Exception;

    protected static final Developer OLD_DEVELOPER = new Developer("dev-old", "old@example.com", "Old Timer",
            "$argon2id$hash-old", "pro", false, 500, 0);
    protected static final ApiKey OLD_SECRET_KEY = new ApiKey("key-old-a", "dev-old", "research box", KeyType.SECRET,
            Set.of(Scope.MARKET_READ, Scope.TRADE), "pro", List.of("hash-old-a"), 0, null, List.of("10.0.0.0/8"), 0,
            KeyStatus.ACTIVE, 1000, 0);
    protected static final ApiKey OLD_SIGNED_KEY = new ApiKey("key-old-b", "dev-old", "", KeyType.ED25519,
            Set.of(Scope.FIX), "pro", List.of(), 0, "MCowBQYDK2VwAyEAold", List.of(), 1_900_000_000_000L,
            KeyStatus.KILLED, 2000, 0);
    protected static final ApiKey OLD_ORPHAN_KEY = new ApiKey("key-orphan", "dev-gone", "orphan", KeyType.SECRET,
            Set.of(Scope.MARKET_READ), null, List.of("hash-orphan"), 0, null, List.of(), 0, KeyStatus.REVOKED, 3000, 0);

    protected KeyRegistry store;

    @BeforeEach
    protected void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    protected void closeStore() throws Exception {
        if (store != null) {
            result(store.close());
        }
    }

    protected static Developer developer(String id, String email, long createdAt) {
        return new Developer(id, email, "Name " + id, "$argon2id$hash-" + id, "free", false, createdAt, 0);
    }

    protected static ApiKey secretKey(String id, String developerId, long createdAt) {
        return new ApiKey(id, developerId, "label " + id, KeyType.SECRET, Set.of(Scope.MARKET_READ, Scope.TRADE),
                "free", List.of("hash-" + id), 0, null, List.of("10.0.0.0/8", "192.168.1.7/32"), 0, KeyStatus.ACTIVE,
                createdAt, 0);
    }

    protected static ApiKey ed25519Key(String id, String developerId, long createdAt) {
        return new ApiKey(id, developerId, "", KeyType.ED25519, Set.of(Scope.FIX), "partner", List.of(), 0,
                "MCowBQYDK2VwAyEA" + id, List.of(), 1_900_000_000_000L, KeyStatus.ACTIVE, createdAt, 0);
    }

    private BlockingQueue<String> changes(KeyRegistry registry) {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        registry.onChange(queue::add);
        return queue;
    }

    @Test
    public void aDeveloperIsFoundByIdAndByEmailWhateverTheCase() throws Exception {
        Developer alice = developer("dev-1", "Alice@Example.com", 1000);
        assertTrue(result(store.addDeveloper(alice)));

        assertEquals(Optional.of(alice), result(store.developer("dev-1")));
        assertEquals(Optional.of(alice), result(store.developerByEmail("alice@example.com")));
        assertEquals(Optional.of(alice), result(store.developerByEmail("ALICE@EXAMPLE.COM")));
    }

    @Test
    public void unknownIdsAndEmailsAreEmpty() throws Exception {
        assertEquals(Optional.empty(), result(store.developer("nobody")));
        assertEquals(Optional.empty(), result(store.developerByEmail("nobody@example.com")));
        assertEquals(Optional.empty(), result(store.key("no-key")));
        assertEquals(List.of(), result(store.keysOf("nobody")));
        assertEquals(List.of(), result(store.keys()));
        assertEquals(List.of(), result(store.developers()));
    }

    @Test
    public void aDuplicateEmailIsRefusedAndNothingIsStored() throws Exception {
        Developer alice = developer("dev-1", "alice@example.com", 1000);
        assertTrue(result(store.addDeveloper(alice)));

        assertFalse(result(store.addDeveloper(developer("dev-2", "ALICE@example.COM", 2000))));

        assertEquals(Optional.empty(), result(store.developer("dev-2")));
        assertEquals(List.of(alice), result(store.developers()));
        assertEquals(Optional.of(alice), result(store.developerByEmail("alice@example.com")));
    }

    @Test
    public void suspendingADeveloperIsVisibleAndNotifiesListeners() throws Exception {
        Developer bob = developer("dev-b", "bob@example.com", 1000);
        result(store.addDeveloper(bob));
        BlockingQueue<String> changes = changes(store);

        result(store.updateDeveloper("dev-b", d -> d.withSuspended(true).withPlan("pro")));

        Await.element(changes, "developer:dev-b"::equals);
        Developer stored = result(store.developer("dev-b")).orElseThrow();
        assertTrue(stored.suspended());
        assertEquals("pro", stored.plan());
        assertEquals(Optional.of(stored), result(store.developerByEmail("bob@example.com")));
    }

    @Test
    public void aPasswordChangeIsStoredWithTheNextSessionGenerationAndNotifiesListeners() throws Exception {
        Developer bob = developer("dev-b", "bob@example.com", 1000);
        result(store.addDeveloper(bob));
        BlockingQueue<String> changes = changes(store);

        result(store.updateDeveloper("dev-b", d -> d.withPassword("$argon2id$new-hash")));
        Await.element(changes, "developer:dev-b"::equals);
        result(store.updateDeveloper("dev-b", Developer::withSessionsEnded));

        Developer stored = result(store.developer("dev-b")).orElseThrow();
        assertEquals("$argon2id$new-hash", stored.passwordHash());
        assertEquals(bob.sessionGeneration() + 2, stored.sessionGeneration());
        assertEquals(Optional.of(stored), result(store.developerByEmail("bob@example.com")));
        assertEquals(List.of(stored), result(store.developers()));
    }

    @Test
    public void aDeveloperUpdateRacingAnotherKeepsBothChanges() throws Exception {
        result(store.addDeveloper(developer("dev-b", "bob@example.com", 1000)));
        AtomicReference<CompletionStage<Optional<Developer>>> suspension = new AtomicReference<>();

        // A suspension starts after the plan change has read the developer and before it writes (the change
        // runs in between): it reads the developer unchanged too, and one of the two writes comes second.
        Developer planned = result(store.updateDeveloper("dev-b", d -> {
            if (suspension.get() == null) {
                suspension.set(store.updateDeveloper("dev-b", other -> other.withSuspended(true)));
            }
            return d.withPlan("pro");
        })).orElseThrow();
        result(suspension.get());

        Developer stored = result(store.developer("dev-b")).orElseThrow();
        assertTrue(stored.suspended(), "the suspension was lost: " + stored);
        assertEquals("pro", stored.plan(), "the plan change was lost: " + stored);
        assertEquals("pro", planned.plan());
    }

    @Test
    public void aDeveloperUpdateOfNobodyOrOfTheEmailWritesNothing() throws Exception {
        Developer bob = developer("dev-b", "bob@example.com", 1000);
        result(store.addDeveloper(bob));

        assertTrue(result(store.updateDeveloper("nobody", d -> d.withSuspended(true))).isEmpty());
        assertTrue(result(store.developer("nobody")).isEmpty());
        CompletionStage<Optional<Developer>> renamed = store.updateDeveloper("dev-b", d -> new Developer(d.id(),
                "eve@example.com", d.name(), d.passwordHash(), d.plan(), true, d.createdAt(), d.sessionGeneration()));
        assertThrows(Exception.class, () -> result(renamed));
        assertEquals(Optional.of(bob), result(store.developer("dev-b")));
        assertTrue(result(store.developerByEmail("eve@example.com")).isEmpty());
    }

    @Test
    public void developersAreListedOldestFirstThenById() throws Exception {
        Developer c = developer("dev-c", "c@example.com", 3000);
        Developer a = developer("dev-a", "a@example.com", 1000);
        Developer b2 = developer("dev-b2", "b2@example.com", 2000);
        Developer b1 = developer("dev-b1", "b1@example.com", 2000);
        for (Developer d : List.of(c, a, b2, b1)) {
            assertTrue(result(store.addDeveloper(d)));
        }

        assertEquals(List.of(a, b1, b2, c), result(store.developers()));
    }

    /**
     * Listings come in pages after a position (creation time, then id), so an administrator's listing reads and
     * answers a bounded page however many developers and keys there are; ties in one millisecond are neither
     * repeated nor skipped, and a page after a key deleted since (as revoked keys are) goes on where it was.
     */
    @Test
    public void listingsArePagedAfterAPositionWhateverWasDeletedSince() throws Exception {
        for (Developer d : List.of(developer("dev-c", "c@example.com", 3000), developer("dev-a", "a@example.com", 1000),
                developer("dev-b2", "b2@example.com", 2000), developer("dev-b1", "b1@example.com", 2000),
                developer("dev-b3", "b3@example.com", 2000))) {
            assertTrue(result(store.addDeveloper(d)));
        }
        List<Developer> all = result(store.developers());
        List<Developer> paged = new java.util.ArrayList<>();
        org.opentrade.gateway.domain.ListPosition at = null;
        for (int pages = 0; pages < 10; pages++) {
            List<Developer> page = result(store.developers(at, 2));
            assertTrue(page.size() <= 2);
            paged.addAll(page);
            if (page.size() < 2) {
                break;
            }
            at = org.opentrade.gateway.domain.ListPosition.of(page.get(1));
        }
        assertEquals(all, paged);
        assertEquals(List.of("dev-b2", "dev-b3"), result(store.developers(
                new org.opentrade.gateway.domain.ListPosition(2000, "dev-b1"), 2)).stream().map(Developer::id).toList());

        ApiKey k1 = secretKey("key-1", "dev-a", 1000);
        ApiKey k2 = secretKey("key-2", "dev-a", 2000);
        ApiKey k3 = secretKey("key-3", "dev-a", 2000);
        ApiKey k4 = secretKey("key-4", "dev-a", 4000);
        for (ApiKey k : List.of(k4, k3, k2, k1)) {
            result(store.putKey(k));
        }
        assertEquals(List.of(k1, k2), result(store.keys(null, 2)));
        result(store.deleteKey(k2));
        assertEquals(List.of(k3, k4), result(store.keys(org.opentrade.gateway.domain.ListPosition.of(k2), 2)));
        assertEquals(List.of(), result(store.keys(org.opentrade.gateway.domain.ListPosition.of(k4), 2)));
    }

    @Test
    public void aKeyIsReadBackWithEveryField() throws Exception {
        ApiKey secret = secretKey("key-s", "dev-1", 1000);
        ApiKey signed = ed25519Key("key-e", "dev-1", 2000);
        result(store.putKey(secret));
        result(store.putKey(signed));

        assertEquals(Optional.of(secret), result(store.key("key-s")));
        assertEquals(Optional.of(signed), result(store.key("key-e")));
    }

    @Test
    public void keysAreListedPerDeveloperAndInAllOldestFirst() throws Exception {
        ApiKey k3 = secretKey("key-3", "dev-1", 3000);
        ApiKey k1 = secretKey("key-1", "dev-1", 1000);
        ApiKey other = secretKey("key-o", "dev-2", 2000);
        ApiKey k2 = ed25519Key("key-2", "dev-1", 2000);
        for (ApiKey k : List.of(k3, k1, other, k2)) {
            result(store.putKey(k));
        }

        assertEquals(List.of(k1, k2, k3), result(store.keysOf("dev-1")));
        assertEquals(List.of(other), result(store.keysOf("dev-2")));
        assertEquals(List.of(k1, k2, other, k3), result(store.keys()));
    }

    @Test
    public void changingAKeyStatusReplacesItAndNotifiesListeners() throws Exception {
        ApiKey key = secretKey("key-1", "dev-1", 1000);
        result(store.putKey(key));
        BlockingQueue<String> changes = changes(store);

        result(store.putKey(key.withStatus(KeyStatus.KILLED)));

        Await.element(changes, "key:key-1"::equals);
        assertEquals(KeyStatus.KILLED, result(store.key("key-1")).orElseThrow().status());
        assertEquals(1, result(store.keys()).size());
        assertEquals(List.of(key.withStatus(KeyStatus.KILLED)), result(store.keysOf("dev-1")));
    }

    @Test
    public void aRevokedKeyIsNeverWrittenBackToLife() throws Exception {
        ApiKey key = secretKey("key-1", "dev-1", 1000);
        result(store.putKey(key.withStatus(KeyStatus.REVOKED)));

        result(store.putKey(key.withStatus(KeyStatus.ACTIVE)));
        result(store.putKey(key.withStatus(KeyStatus.KILLED).withPlan("pro")));

        ApiKey stored = result(store.key("key-1")).orElseThrow();
        assertEquals(KeyStatus.REVOKED, stored.status());
        assertEquals("pro", stored.plan(), "the rest of the write is kept");
    }

    @Test
    public void aKeyIsCreatedOnlyWhileItsDeveloperHasFewerLiveKeysThanTheQuota() throws Exception {
        assertTrue(result(store.createKey(secretKey("key-1", "dev-1", 1000), 2)));
        assertTrue(result(store.createKey(secretKey("key-2", "dev-1", 2000).withStatus(KeyStatus.KILLED), 2)));
        assertTrue(result(store.createKey(secretKey("key-other", "dev-2", 2500), 2)));

        assertFalse(result(store.createKey(secretKey("key-3", "dev-1", 3000), 2)), "a killed key still counts");
        assertTrue(result(store.key("key-3")).isEmpty());

        result(store.updateKey("key-1", k -> k.revoked(5000)));
        assertTrue(result(store.createKey(secretKey("key-3", "dev-1", 3000), 2)), "a revoked key does not count");
        assertEquals(3, result(store.keysOf("dev-1")).size());
    }

    @Test
    public void anUpdateAppliesItsChangeToTheStoredKeyAndNotifiesListeners() throws Exception {
        result(store.putKey(secretKey("key-1", "dev-1", 1000)));
        BlockingQueue<String> changes = changes(store);

        ApiKey killed = result(store.updateKey("key-1", ApiKey::killed)).orElseThrow();

        assertEquals(KeyStatus.KILLED, killed.status());
        assertEquals(killed, result(store.key("key-1")).orElseThrow());
        Await.element(changes, "key:key-1"::equals);
        assertTrue(result(store.updateKey("no-such-key", ApiKey::killed)).isEmpty());
    }

    @Test
    public void anUpdateThatRefusesWritesNothing() throws Exception {
        ApiKey key = secretKey("key-1", "dev-1", 1000);
        result(store.putKey(key));

        CompletionStage<Optional<ApiKey>> refused = store.updateKey("key-1", k -> {
            throw new IllegalStateException("not this one");
        });

        assertThrows(Exception.class, () -> result(refused));
        assertEquals(key.status(), result(store.key("key-1")).orElseThrow().status());
        assertEquals(key.secretHashes(), result(store.key("key-1")).orElseThrow().secretHashes());
    }

    @Test
    public void anUpdateNeverTakesAKeyOutOfRevoked() throws Exception {
        result(store.putKey(secretKey("key-1", "dev-1", 1000).withStatus(KeyStatus.REVOKED)));

        ApiKey after = result(store.updateKey("key-1", k -> k.withStatus(KeyStatus.ACTIVE))).orElseThrow();

        assertEquals(KeyStatus.REVOKED, after.status());
        assertEquals(KeyStatus.REVOKED, result(store.key("key-1")).orElseThrow().status());
    }

    @Test
    public void revokedKeysAreListedByRevocationTimeUntilDeleted() throws Exception {
        result(store.putKey(secretKey("key-1", "dev-1", 1000)));
        result(store.putKey(secretKey("key-2", "dev-2", 2000)));
        result(store.putKey(secretKey("key-3", "dev-1", 3000)));
        result(store.putKey(secretKey("key-live", "dev-1", 4000)));
        result(store.putKey(OLD_ORPHAN_KEY)); // revoked before revocation times were kept: never listed

        ApiKey first = result(store.updateKey("key-2", k -> k.revoked(10_000))).orElseThrow();
        result(store.updateKey("key-3", k -> k.revoked(20_000)));
        result(store.updateKey("key-1", k -> k.killed()));
        result(store.updateKey("key-1", k -> k.revoked(30_000)));
        ApiKey again = result(store.updateKey("key-2", k -> k.revoked(40_000))).orElseThrow();

        assertEquals(10_000, first.revokedAt());
        assertEquals(10_000, again.revokedAt(), "revocation is final: its time is the first one's");
        assertEquals(10_000, result(store.key("key-2")).orElseThrow().revokedAt());
        assertEquals(List.of("key-2", "key-3", "key-1"), ids(result(store.revokedBefore(30_000, 10))));
        assertEquals(List.of("key-2", "key-3"), ids(result(store.revokedBefore(29_999, 10))));
        assertEquals(List.of("key-2"), ids(result(store.revokedBefore(30_000, 1))));
        assertEquals(List.of(), ids(result(store.revokedBefore(9_999, 10))));

        result(store.deleteKey(first));
        store = reopen(store);
        assertEquals(List.of("key-3", "key-1"), ids(result(store.revokedBefore(Long.MAX_VALUE, 10))));
        assertEquals(20_000, result(store.key("key-3")).orElseThrow().revokedAt());
    }

    private static List<String> ids(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::id).toList();
    }

    @Test
    public void aDeletedKeyIsGoneEverywhereAndListenersAreTold() throws Exception {
        ApiKey gone = secretKey("key-gone", "dev-1", 1000).withStatus(KeyStatus.REVOKED);
        ApiKey kept = secretKey("key-kept", "dev-1", 2000);
        result(store.putKey(gone));
        result(store.putKey(kept));
        BlockingQueue<String> changes = changes(store);

        result(store.deleteKey(gone));

        Await.element(changes, "key:key-gone"::equals);
        assertTrue(result(store.key("key-gone")).isEmpty());
        assertEquals(List.of(kept), result(store.keysOf("dev-1")));
        assertEquals(List.of(kept), result(store.keys()));
        store = reopen(store);
        assertTrue(result(store.key("key-gone")).isEmpty());
    }

    @Test
    public void puttingANewKeyNotifiesListeners() throws Exception {
        BlockingQueue<String> changes = changes(store);

        result(store.putKey(secretKey("key-new", "dev-1", 1000)));

        Await.element(changes, "key:key-new"::equals);
    }

    @Test
    public void aRotationKeepsBothSecretHashesNewestFirst() throws Exception {
        ApiKey key = secretKey("key-1", "dev-1", 1000);
        result(store.putKey(key));

        result(store.putKey(key.rotated("hash-new", 5_000_000L, 0)));

        ApiKey stored = result(store.key("key-1")).orElseThrow();
        assertEquals(List.of("hash-new", "hash-key-1"), stored.secretHashes());
        assertEquals(5_000_000L, stored.previousSecretUntil());
    }

    @Test
    public void aKeyKeepsItsOwnPlanWhateverItsDevelopersPlan() throws Exception {
        Developer dev = developer("dev-1", "dev@example.com", 500).withPlan("partner");
        result(store.addDeveloper(dev));
        ApiKey low = secretKey("key-low", "dev-1", 1000).withPlan("free");
        ApiKey mid = secretKey("key-mid", "dev-1", 2000).withPlan("pro");
        result(store.putKey(low));
        result(store.putKey(mid));

        result(store.updateDeveloper(dev.id(), d -> d.withPlan("free")));

        assertEquals("free", result(store.key("key-low")).orElseThrow().plan());
        assertEquals("pro", result(store.key("key-mid")).orElseThrow().plan());
        assertEquals(List.of(low, mid), result(store.keysOf("dev-1")));
        assertEquals(List.of(low, mid), result(store.keys()));
    }

    @Test
    public void changingAKeyPlanReplacesItAndNotifiesListeners() throws Exception {
        ApiKey key = secretKey("key-1", "dev-1", 1000).withPlan("partner");
        result(store.putKey(key));
        BlockingQueue<String> changes = changes(store);

        result(store.putKey(key.withPlan("free")));

        Await.element(changes, "key:key-1"::equals);
        assertEquals(Optional.of(key.withPlan("free")), result(store.key("key-1")));
        assertEquals(List.of(key.withPlan("free")), result(store.keysOf("dev-1")));
    }

    @Test
    public void keysStoredBeforePlansAreReadWithTheirDevelopersPlan() throws Exception {
        store = storeWithRecordsFromBeforePlans(store);

        assertEquals(Optional.of(OLD_DEVELOPER), result(store.developer("dev-old")));
        assertEquals(Optional.of(OLD_SECRET_KEY), result(store.key("key-old-a")));
        assertEquals(Optional.of(OLD_SIGNED_KEY), result(store.key("key-old-b")));
        assertEquals(List.of(OLD_SECRET_KEY, OLD_SIGNED_KEY), result(store.keysOf("dev-old")));
        assertEquals(List.of(OLD_SECRET_KEY, OLD_SIGNED_KEY, OLD_ORPHAN_KEY), result(store.keys()));
        assertEquals(Optional.of(OLD_ORPHAN_KEY), result(store.key("key-orphan")), "no developer: no plan to give");
    }

    @Test
    public void aKeyStoredBeforePlansFollowsItsDeveloperUntilItIsWritten() throws Exception {
        store = storeWithRecordsFromBeforePlans(store);
        ApiKey written = result(store.key("key-old-a")).orElseThrow().withStatus(KeyStatus.KILLED);
        result(store.putKey(written));

        result(store.updateDeveloper(OLD_DEVELOPER.id(), d -> d.withPlan("partner")));
        store = reopen(store);

        assertEquals("pro", result(store.key("key-old-a")).orElseThrow().plan(), "written: keeps the plan it was given");
        assertEquals("partner", result(store.key("key-old-b")).orElseThrow().plan(), "never written: the developer's");
        assertEquals(List.of("pro", "partner"), result(store.keysOf("dev-old")).stream().map(ApiKey::plan).toList());
    }

    @Test
    public void dataSurvivesReopen() throws Exception {
        Developer alice = developer("dev-1", "alice@example.com", 1000);
        ApiKey key = secretKey("key-1", "dev-1", 2000);
        result(store.addDeveloper(alice));
        result(store.putKey(key));

        store = reopen(store);

        assertEquals(Optional.of(alice), result(store.developerByEmail("ALICE@example.com")));
        assertEquals(List.of(key), result(store.keysOf("dev-1")));
        assertFalse(result(store.addDeveloper(developer("dev-2", "alice@example.com", 3000))));
    }
}
