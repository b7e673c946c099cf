package org.opentrade.gateway.adapter.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.ListPosition;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * Developers and API keys shared by every gateway. Key layout (all under the configured prefix):
 * <pre>
 *   dev:&lt;id&gt;                 developer JSON          devs            sorted set (createdAt, id)
 *   revoked-keys             sorted set (revokedAt, key id): the revoked keys, for the retention sweep
 *   dev-email:&lt;lower email&gt;  developer id            dev-keys:&lt;dev&gt;  sorted set (createdAt, key id)
 *   key:&lt;id&gt;                 key JSON                keys            sorted set (createdAt, key id)
 *   changes                  pub/sub channel of "key:&lt;id&gt;" / "developer:&lt;id&gt;" (see {@link ChangeFeed})
 * </pre>
 * Writes are Lua scripts, so each is atomic and one round trip: a sign-up claims its email and stores
 * the developer together; {@link #putKey} and {@link #updateDeveloper} publish the change in the same
 * step as the write. A developer is changed by compare-and-set ({@link #updateDeveloper}, as keys are). Sorted sets order by createdAt, then by id (Redis orders equal scores by member).
 * A key is changed by compare-and-set ({@link #updateKey}: {@code replace_key.lua} writes only over
 * the exact JSON the change was computed from) and created by a script that counts the developer's
 * live keys in the same step ({@code create_key.lua}); both scripts, and {@code put_key.lua}, keep a
 * revoked key revoked. {@code create_key.lua} reads keys it is not handed: single-node Redis only.
 *
 * <p>{@link #updateDeveloper} fails (exceptionally) for a change of the id or the email.
 *
 * <p>A key written before keys had plans has no {@code plan} field; reads give it its developer's plan
 * of the moment (one more MGET of the developers concerned, only when such keys are read).
 *
 * <p>Never blocks; thread-safe; stages complete on a Lettuce I/O thread. Reads of one item are one
 * round trip; listings are two (the ids, then MGET).
 */
public final class RedisKeyRegistry implements KeyRegistry {

    private static final int MAX_UPDATE_ATTEMPTS = 16;
    /** The revoked keys' index (sorted set: key id scored by revocation time, epoch ms). */
    private static final String REVOKED = "revoked-keys";

    private final RedisConnections redis;
    private final ChangeFeed changes;
    private final RedisScript addDeveloper;
    private final RedisScript updateDeveloper;
    private final RedisScript putKey;
    private final RedisScript createKey;
    private final RedisScript replaceKey;
    private final RedisScript deleteKey;

    private RedisKeyRegistry(RedisConnections redis) {
        this.redis = redis;
        this.changes = new ChangeFeed(redis);
        this.addDeveloper = RedisScript.load("add_developer", redis.async());
        this.updateDeveloper = RedisScript.load("update_developer", redis.async());
        this.putKey = RedisScript.load("put_key", redis.async());
        this.createKey = RedisScript.load("create_key", redis.async());
        this.replaceKey = RedisScript.load("replace_key", redis.async());
        this.deleteKey = RedisScript.load("delete_key", redis.async());
    }

    /**
     * A registry on {@code redis} (borrowed: {@link #close()} leaves it open), completing once it
     * listens to the change channel, so it hears every change made after that.
     */
    public static CompletionStage<RedisKeyRegistry> open(RedisConnections redis) {
        RedisKeyRegistry registry = new RedisKeyRegistry(redis);
        return registry.changes.start().thenApply(ignored -> registry);
    }

    @Override
    public CompletionStage<Boolean> addDeveloper(Developer d) {
        String[] keys = {emailKey(d.email()), redis.key("dev:" + d.id()), redis.key("devs")};
        return addDeveloper.<Long>run(redis.async(), ScriptOutputType.INTEGER, keys,
                d.id(), RegistryJson.encode(d), Long.toString(d.createdAt())).thenApply(added -> added == 1);
    }

    @Override
    public CompletionStage<Optional<Developer>> updateDeveloper(String developerId, UnaryOperator<Developer> change) {
        return updateDeveloper(developerId, change, MAX_UPDATE_ATTEMPTS);
    }

    /** One read, then a compare-and-set; another read when a concurrent write got in between (as {@link #updateKey}). */
    private CompletionStage<Optional<Developer>> updateDeveloper(String developerId, UnaryOperator<Developer> change,
                                                                 int attempts) {
        String itemKey = redis.key("dev:" + developerId);
        return redis.async().get(itemKey).thenCompose(json -> {
            if (json == null) {
                return CompletableFuture.completedFuture(Optional.<Developer>empty());
            }
            Developer current = RegistryJson.developer(json);
            Developer updated = change.apply(current);
            if (!updated.id().equals(current.id()) || !updated.email().equals(current.email())) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "a developer update may not change the id or the email of " + developerId));
            }
            if (updated.equals(current)) {
                return CompletableFuture.completedFuture(Optional.of(current));
            }
            String note = "developer:" + developerId;
            return updateDeveloper.<Long>run(redis.async(), ScriptOutputType.INTEGER,
                    new String[] {itemKey, emailKey(current.email())}, developerId, json, RegistryJson.encode(updated),
                    changes.channel(), changes.message(note)).thenCompose(written -> {
                        if (written == 1) {
                            changes.notifyLocal(note);
                            return CompletableFuture.completedFuture(Optional.of(updated));
                        }
                        if (attempts > 1) {
                            return updateDeveloper(developerId, change, attempts - 1);
                        }
                        return CompletableFuture.failedFuture(new IllegalStateException("developer " + developerId
                                + " kept changing during " + MAX_UPDATE_ATTEMPTS + " attempts"));
                    });
        });
    }

    @Override
    public CompletionStage<Optional<Developer>> developer(String developerId) {
        return redis.async().get(redis.key("dev:" + developerId))
                .thenApply(json -> Optional.ofNullable(json).map(RegistryJson::developer));
    }

    @Override
    public CompletionStage<Optional<Developer>> developerByEmail(String email) {
        return redis.async().get(emailKey(email)).thenCompose(id -> id == null
                ? CompletableFuture.completedFuture(Optional.empty())
                : developer(id));
    }

    @Override
    public CompletionStage<List<Developer>> developers(ListPosition after, int limit) {
        return listed(redis.key("devs"), "dev:", RegistryJson::developer, after, limit);
    }

    @Override
    public CompletionStage<Void> putKey(ApiKey k) {
        String change = "key:" + k.id();
        String[] keys = {redis.key("key:" + k.id()), redis.key("keys"), redis.key("dev-keys:" + k.developerId()),
                redis.key(REVOKED)};
        ApiKey asRevoked = k.revoked(k.revokedAt());
        return putKey.<Long>run(redis.async(), ScriptOutputType.INTEGER, keys,
                k.id(), RegistryJson.encode(k), Long.toString(k.createdAt()), changes.channel(),
                changes.message(change), RegistryJson.encode(asRevoked), revocationScore(k), revocationScore(asRevoked))
                .thenAccept(ignored -> changes.notifyLocal(change));
    }

    @Override
    public CompletionStage<Boolean> createKey(ApiKey k, int maxLiveKeys) {
        String change = "key:" + k.id();
        String[] keys = {redis.key("key:" + k.id()), redis.key("keys"), redis.key("dev-keys:" + k.developerId())};
        return createKey.<Long>run(redis.async(), ScriptOutputType.INTEGER, keys,
                k.id(), RegistryJson.encode(k), Long.toString(k.createdAt()), changes.channel(),
                changes.message(change), Integer.toString(maxLiveKeys), redis.key("key:"))
                .thenApply(created -> {
                    if (created == 1) {
                        changes.notifyLocal(change);
                    }
                    return created == 1;
                });
    }

    @Override
    public CompletionStage<Optional<ApiKey>> updateKey(String keyId, UnaryOperator<ApiKey> change) {
        return updateKey(keyId, change, MAX_UPDATE_ATTEMPTS);
    }

    /**
     * One read, then a compare-and-set; another read when a concurrent write got in between. Only
     * the key's owner and administrators write a key, so {@value #MAX_UPDATE_ATTEMPTS} attempts are
     * far more than contention needs; running out fails the stage (answered 503) rather than loop.
     */
    private CompletionStage<Optional<ApiKey>> updateKey(String keyId, UnaryOperator<ApiKey> change, int attempts) {
        String itemKey = redis.key("key:" + keyId);
        return redis.async().get(itemKey).thenCompose(json -> {
            if (json == null) {
                return CompletableFuture.completedFuture(Optional.<ApiKey>empty());
            }
            return withPlans(List.of(RegistryJson.key(json))).thenCompose(read -> {
                ApiKey current = read.get(0);
                ApiKey updated = change.apply(current).replacing(current);
                if (updated.equals(current)) {
                    return CompletableFuture.completedFuture(Optional.of(current));
                }
                String note = "key:" + keyId;
                return replaceKey.<Long>run(redis.async(), ScriptOutputType.INTEGER,
                        new String[] {itemKey, redis.key(REVOKED)}, json, RegistryJson.encode(updated), changes.channel(),
                        changes.message(note), revocationScore(updated), keyId)
                        .thenCompose(written -> {
                            if (written == 1) {
                                changes.notifyLocal(note);
                                return CompletableFuture.completedFuture(Optional.of(updated));
                            }
                            if (written == 0 && attempts > 1) {
                                return updateKey(keyId, change, attempts - 1);
                            }
                            return CompletableFuture.failedFuture(new IllegalStateException(written == 0
                                    ? "key " + keyId + " kept changing during " + MAX_UPDATE_ATTEMPTS + " attempts"
                                    : "refused to write a revoked key " + keyId + " back to another status"));
                        });
            });
        });
    }

    @Override
    public CompletionStage<Void> deleteKey(ApiKey k) {
        String change = "key:" + k.id();
        String[] keys = {redis.key("key:" + k.id()), redis.key("keys"), redis.key("dev-keys:" + k.developerId()),
                redis.key(REVOKED)};
        return deleteKey.<Long>run(redis.async(), ScriptOutputType.INTEGER, keys, k.id(), changes.channel(),
                        changes.message(change))
                .thenAccept(ignored -> changes.notifyLocal(change));
    }

    /** The revoked-keys index: ids scored by revocation time (keys revoked before times were kept are not in it). */
    @Override
    public CompletionStage<List<ApiKey>> revokedBefore(long timeMillis, int limit) {
        return redis.async().zrangebyscore(redis.key(REVOKED),
                Range.from(Range.Boundary.<Long>unbounded(), Range.Boundary.including(timeMillis)), Limit.create(0, limit)).thenCompose(ids -> {
                    if (ids.isEmpty()) {
                        return CompletableFuture.completedFuture(List.<ApiKey>of());
                    }
                    String[] keys = ids.stream().map(id -> redis.key("key:" + id)).toArray(String[]::new);
                    return redis.async().mget(keys).thenApply(values -> {
                        // An id whose key is gone (deleted outside these scripts, by hand say) would come first
                        // in every later sweep: it leaves the index.
                        String[] gone = java.util.stream.IntStream.range(0, values.size())
                                .filter(i -> !values.get(i).hasValue()).mapToObj(ids::get).toArray(String[]::new);
                        if (gone.length > 0) {
                            redis.async().zrem(redis.key(REVOKED), gone);
                        }
                        return values.stream().filter(KeyValue::hasValue).map(kv -> RegistryJson.key(kv.getValue()))
                                .toList();
                    });
                });
    }

    /** A key's score in the revoked-keys index, or "" when it has none (not revoked, or no time kept). */
    private static String revocationScore(ApiKey k) {
        return k.status() == KeyStatus.REVOKED && k.revokedAt() > 0 ? Long.toString(k.revokedAt()) : "";
    }

    @Override
    public CompletionStage<Optional<ApiKey>> key(String keyId) {
        return redis.async().get(redis.key("key:" + keyId)).thenCompose(json -> json == null
                ? CompletableFuture.completedFuture(Optional.<ApiKey>empty())
                : withPlans(List.of(RegistryJson.key(json))).thenApply(keys -> Optional.of(keys.get(0))));
    }

    @Override
    public CompletionStage<List<ApiKey>> keysOf(String developerId) {
        // The filter guards against a key that was re-put under another developer (never done today).
        return listed(redis.key("dev-keys:" + developerId), "key:", RegistryJson::key, null, Integer.MAX_VALUE)
                .thenApply(keys -> keys.stream().filter(k -> k.developerId().equals(developerId)).toList())
                .thenCompose(this::withPlans);
    }

    @Override
    public CompletionStage<List<ApiKey>> keys(ListPosition after, int limit) {
        return listed(redis.key("keys"), "key:", RegistryJson::key, after, limit).thenCompose(this::withPlans);
    }

    @Override
    public void onChange(Consumer<String> listener) {
        changes.addListener(listener);
    }

    /** Stops listening for changes; the borrowed connections stay open. */
    @Override
    public CompletionStage<Void> close() {
        changes.close();
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Up to {@code limit} items whose ids the sorted set {@code index} (score: creation time; ties in id order, as
     * Redis orders equal scores by their bytes) lists after {@code after}, in its order. The page is found from the
     * position's score: the ids of that one millisecond, then the range from there, so two commands and one MGET
     * of the page whatever the index holds. Not atomic: an item of the position's own millisecond added or deleted
     * between the two may be shown twice or skipped.
     */
    private <T> CompletionStage<List<T>> listed(String index, String itemPrefix, Function<String, T> decode,
                                                ListPosition after, int limit) {
        CompletionStage<List<String>> page;
        if (after == null) {
            page = redis.async().zrange(index, 0, limit == Integer.MAX_VALUE ? -1 : limit - 1);
        } else {
            page = redis.async().zrangebyscore(index, Range.create(after.createdAt(), after.createdAt()))
                    .thenCompose(ties -> {
                        long skip = ties.stream().filter(id -> id.compareTo(after.id()) <= 0).count();
                        return redis.async().zrangebyscore(index, Range.from(Range.Boundary.including(after.createdAt()),
                                Range.Boundary.unbounded()), io.lettuce.core.Limit.create(skip, limit));
                    });
        }
        return page.thenCompose(ids -> {
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(List.<T>of());
            }
            String[] keys = ids.stream().map(id -> redis.key(itemPrefix + id)).toArray(String[]::new);
            return redis.async().mget(keys).thenApply(values -> values.stream()
                    .filter(KeyValue::hasValue)
                    .map(kv -> decode.apply(kv.getValue()))
                    .toList());
        });
    }

    /** The keys, those stored without a plan given their developer's (see {@link KeyRegistry}). */
    private CompletionStage<List<ApiKey>> withPlans(List<ApiKey> keys) {
        List<String> owners = keys.stream().filter(k -> k.plan() == null).map(ApiKey::developerId).distinct().toList();
        if (owners.isEmpty()) {
            return CompletableFuture.completedFuture(keys);
        }
        String[] devKeys = owners.stream().map(id -> redis.key("dev:" + id)).toArray(String[]::new);
        return redis.async().mget(devKeys).thenApply(values -> {
            Map<String, String> plans = new HashMap<>();
            values.stream().filter(KeyValue::hasValue).map(kv -> RegistryJson.developer(kv.getValue()))
                    .forEach(d -> plans.put(d.id(), d.plan()));
            return keys.stream().map(k -> k.plan() != null ? k : k.withPlan(plans.get(k.developerId()))).toList();
        });
    }

    private String emailKey(String email) {
        return redis.key("dev-email:" + email.toLowerCase(Locale.ROOT));
    }
}
