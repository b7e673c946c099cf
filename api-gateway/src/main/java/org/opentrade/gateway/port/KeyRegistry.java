package org.opentrade.gateway.port;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.ListPosition;

/**
 * Where developers and their API keys live: embedded (one gateway, persisted under {@code ./data})
 * or Redis (shared by every gateway). Methods never block the caller; a store failure completes the
 * stage exceptionally (the gateway answers -9003, never "unknown key").
 *
 * <p>Emails are unique case-insensitively: {@link #addDeveloper} compares {@code email} lower-cased,
 * and {@link #developerByEmail} finds it whatever the case.
 *
 * <p>Keys stored before keys had plans carry no plan: {@link #key}, {@link #keysOf} and {@link #keys}
 * return them with their developer's current plan (null only when that developer does not exist), so
 * they keep the limits they had, and follow the developer's plan until the key is next written
 * ({@link #putKey} stores the plan it is given).
 */
public interface KeyRegistry {

    /** Adds a new developer; completes with false, storing nothing, when the email is taken. */
    CompletionStage<Boolean> addDeveloper(Developer developer);

    /**
     * Replaces the stored developer with {@code change} applied to it (suspend, plan change),
     * atomically: the write happens only if the developer is still the one {@code change} was given,
     * else {@code change} runs again on the newer copy (so it must be a pure function; it may throw
     * to refuse, which fails the stage and writes nothing). A change may not touch the id or the
     * email (that fails the stage). Completes with the developer as stored afterwards, empty when
     * there is no such developer; notifies {@link #onChange} listeners when it wrote.
     */
    CompletionStage<Optional<Developer>> updateDeveloper(String developerId, UnaryOperator<Developer> change);

    CompletionStage<Optional<Developer>> developer(String developerId);

    CompletionStage<Optional<Developer>> developerByEmail(String email);

    /**
     * Up to {@code limit} developers after {@code after} (null: from the first), oldest first, ties by id. The work
     * is bounded by {@code limit}, not by how many developers there are (sign-ups are cheap: their number is not
     * ours to bound).
     */
    CompletionStage<List<Developer>> developers(ListPosition after, int limit);

    /** Every developer, oldest first: for tests and tools, never for a caller's request. */
    default CompletionStage<List<Developer>> developers() {
        return developers(null, Integer.MAX_VALUE);
    }

    /**
     * Creates or replaces a key and notifies {@link #onChange} listeners with its id. Over a revoked
     * key the write is stored still revoked ({@link ApiKey#replacing}). To change a stored key use
     * {@link #updateKey}, which cannot lose a concurrent change.
     */
    CompletionStage<Void> putKey(ApiKey key);

    /**
     * Creates a key unless its developer already has {@code maxLiveKeys} keys that are not revoked;
     * completes with whether it was stored (and listeners notified). The count and the write are one
     * atomic step across every gateway sharing the store, so parallel creates cannot pass the quota.
     */
    CompletionStage<Boolean> createKey(ApiKey key, int maxLiveKeys);

    /**
     * Replaces the stored key with {@code change} applied to it, atomically: the write happens only
     * if the key is still the one {@code change} was given, else {@code change} runs again on the
     * newer copy (so it must be a pure function; it may throw to refuse, which fails the stage and
     * writes nothing). Revocation stays final ({@link ApiKey#replacing}). Completes with the key as
     * stored afterwards, empty when there is no such key; notifies listeners when it wrote.
     */
    CompletionStage<Optional<ApiKey>> updateKey(String keyId, UnaryOperator<ApiKey> change);

    /**
     * Removes a key for good (a revoked key past the number kept) and notifies {@link #onChange}
     * listeners with its id; it then reads as unknown.
     */
    CompletionStage<Void> deleteKey(ApiKey key);

    CompletionStage<Optional<ApiKey>> key(String keyId);

    /**
     * Keys revoked at or before {@code timeMillis} ({@link ApiKey#revokedAt}), oldest revocation first, at
     * most {@code limit}: what the retention sweep deletes. Keys revoked before revocation times were
     * kept (revokedAt 0) are not listed; their developer's count bound still holds them.
     */
    CompletionStage<List<ApiKey>> revokedBefore(long timeMillis, int limit);

    /** The keys of one developer, oldest first, whatever their status. */
    CompletionStage<List<ApiKey>> keysOf(String developerId);

    /** Up to {@code limit} keys after {@code after} (null: from the first), oldest first, ties by id; as {@link #developers(ListPosition, int)}. */
    CompletionStage<List<ApiKey>> keys(ListPosition after, int limit);

    /** Every key, oldest first: for tests and tools, never for a caller's request. */
    default CompletionStage<List<ApiKey>> keys() {
        return keys(null, Integer.MAX_VALUE);
    }

    /** The change told to listeners when changes may have been missed: everything may be stale. */
    String EVERYTHING = "*";

    /**
     * Registers a listener told the id of every key or developer that changed, on any gateway sharing
     * this store ("key:&lt;id&gt;" or "developer:&lt;id&gt;"), so caches drop it at once; or
     * {@link #EVERYTHING} when this gateway may have missed changes (its change channel was down and
     * is back), so caches drop all they hold. Called on a store thread: the listener must be cheap
     * and thread-safe.
     */
    void onChange(Consumer<String> listener);

    /** Releases connections and files; flushes what is pending. */
    CompletionStage<Void> close();
}
