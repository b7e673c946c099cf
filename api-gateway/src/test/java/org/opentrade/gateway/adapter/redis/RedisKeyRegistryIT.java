package org.opentrade.gateway.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentrade.gateway.port.Await.result;

import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.KeyLookup;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.port.Await;
import org.opentrade.gateway.port.KeyRegistry;
import org.opentrade.gateway.port.KeyRegistryContract;

class RedisKeyRegistryIT extends KeyRegistryContract {

    @RegisterExtension
    static final RedisServerExtension fixture = new RedisServerExtension();

    @Override
    protected KeyRegistry newStore() throws Exception {
        fixture.server().flushAll();
        return result(RedisKeyRegistry.open(fixture.connections().open()));
    }

    @Override
    protected KeyRegistry reopen(KeyRegistry store) throws Exception {
        result(store.close());
        return result(RedisKeyRegistry.open(fixture.connections().open()));
    }

    /**
     * The developer as today's adapter writes it (its format did not change); the keys as JSON strings
     * exactly as the adapter wrote them before per-key plans, with their index entries.
     */
    @Override
    protected KeyRegistry storeWithRecordsFromBeforePlans(KeyRegistry store) throws Exception {
        result(store.close());
        fixture.server().flushAll();
        RedisConnections redis = fixture.connections().open();
        KeyRegistry registry = result(RedisKeyRegistry.open(redis));
        result(registry.addDeveloper(OLD_DEVELOPER));
        oldKey(redis, "key-old-a", "dev-old", 1000, "{\"id\":\"key-old-a\",\"developerId\":\"dev-old\","
                + "\"label\":\"research box\",\"type\":\"SECRET\",\"scopes\":[\"market:read\",\"trade\"],"
                + "\"secretHashes\":[\"hash-old-a\"],\"previousSecretUntil\":0,\"publicKey\":null,"
                + "\"allowedCidrs\":[\"10.0.0.0/8\"],\"expiresAt\":0,\"status\":\"ACTIVE\",\"createdAt\":1000}");
        oldKey(redis, "key-old-b", "dev-old", 2000, "{\"id\":\"key-old-b\",\"developerId\":\"dev-old\","
                + "\"label\":\"\",\"type\":\"ED25519\",\"scopes\":[\"fix\"],\"secretHashes\":[],"
                + "\"previousSecretUntil\":0,\"publicKey\":\"MCowBQYDK2VwAyEAold\",\"allowedCidrs\":[],"
                + "\"expiresAt\":1900000000000,\"status\":\"KILLED\",\"createdAt\":2000}");
        oldKey(redis, "key-orphan", "dev-gone", 3000, "{\"id\":\"key-orphan\",\"developerId\":\"dev-gone\","
                + "\"label\":\"orphan\",\"type\":\"SECRET\",\"scopes\":[\"market:read\"],"
                + "\"secretHashes\":[\"hash-orphan\"],\"previousSecretUntil\":0,\"publicKey\":null,"
                + "\"allowedCidrs\":[],\"expiresAt\":0,\"status\":\"REVOKED\",\"createdAt\":3000}");
        return registry;
    }

    private static void oldKey(RedisConnections redis, String id, String developerId, long createdAt, String json)
            throws Exception {
        result(redis.async().set(redis.key("key:" + id), json));
        result(redis.async().zadd(redis.key("keys"), createdAt, id));
        result(redis.async().zadd(redis.key("dev-keys:" + developerId), createdAt, id));
    }

    @Test
    void aChangeOnOneGatewayReachesTheOtherAtOnceAndEachHearsItOnce() throws Exception {
        KeyRegistry other = result(RedisKeyRegistry.open(fixture.connections().open()));
        BlockingQueue<String> heardHere = new LinkedBlockingQueue<>();
        BlockingQueue<String> heardThere = new LinkedBlockingQueue<>();
        List<String> everythingHeardHere = new CopyOnWriteArrayList<>();
        store.onChange(heardHere::add);
        store.onChange(everythingHeardHere::add);
        other.onChange(heardThere::add);

        result(store.putKey(secretKey("key-1", "dev-1", 1000).withStatus(KeyStatus.KILLED)));
        Await.element(heardThere, "key:key-1"::equals);

        Developer dev = developer("dev-1", "dev@example.com", 1000);
        result(other.addDeveloper(dev));
        result(other.updateDeveloper(dev.id(), d -> d.withSuspended(true)));
        Await.element(heardHere, "developer:dev-1"::equals);
        // The listeners are called one after the other: the second may hear it a moment after the first.
        Await.until(Await.TIMEOUT, () -> everythingHeardHere.size() >= 2);

        // Pub/sub keeps order per connection: had the writer's own echo of key-1 not been dropped, it
        // would have arrived before the other gateway's message.
        assertEquals(List.of("key:key-1", "developer:dev-1"), everythingHeardHere);
        assertEquals(KeyStatus.KILLED, result(other.key("key-1")).orElseThrow().status());
        result(other.close());
    }

    /** Shaped like an issued key id: the request path's cache never asks the store about other ids. */
    private static final String ID = "otk_BBBBBBBBBBBBBBBBBBBB";

    @Test
    void aRevocationMadeWhileTheChangeChannelWasDownStopsTheKeyOnceTheChannelIsBack() throws Exception {
        // A cache that would trust its copy for an hour: only the change channel can make it let go.
        KeyLookup lookup = new KeyLookup(store, new PlanCatalog(List.of(new Plan("free", 600, 10, 5)), "free"),
                Duration.ofHours(1).toMillis(), System::currentTimeMillis);
        ApiKey key = secretKey(ID, "dev-1", 1000);
        result(store.putKey(key));
        assertEquals(KeyStatus.ACTIVE, result(lookup.key(ID)).orElseThrow().key().status());

        // The revocation lands in Redis while this gateway's subscription is gone (as in the first
        // moments after a Redis restart), so its notification never reaches the gateway.
        RedisConnections side = fixture.connections().open();
        result(side.async().set(side.key("key:" + ID), RegistryJson.encode(key.revoked(5000))));
        result(side.async().clientKill(KillArgs.Builder.typePubsub()));

        Await.until(Duration.ofSeconds(10),
                () -> result(lookup.key(ID)).orElseThrow().key().status() == KeyStatus.REVOKED);
    }

    @Test
    void aRevokedKeyDeletedOutsideTheScriptsLeavesTheRevokedIndexAtTheNextSweep() throws Exception {
        result(store.putKey(secretKey("key-1", "dev-1", 1000)));
        result(store.putKey(secretKey("key-2", "dev-1", 2000)));
        result(store.updateKey("key-1", k -> k.revoked(10_000)));
        result(store.updateKey("key-2", k -> k.revoked(20_000)));
        RedisConnections side = fixture.connections().open();
        result(side.async().del(side.key("key:key-1"))); // by hand, say

        assertEquals(List.of(), result(store.revokedBefore(30_000, 1)), "the gone key is skipped");
        Await.until(Duration.ofSeconds(10), () -> result(side.async().zcard(side.key("revoked-keys"))) == 1L);
        assertEquals(List.of("key-2"), result(store.revokedBefore(30_000, 1)).stream().map(ApiKey::id).toList());
    }

    @Test
    void aSubscriptionSlowerThanTheCommandBudgetAtStartUpIsSentAgainAndTheRegistryOpens() throws Exception {
        // A busy machine at start-up: Redis answers nothing for longer than one command's budget.
        RedisOptions options = fixture.connections().options().withCommandTimeout(Duration.ofMillis(100));
        RedisConnections redis = fixture.connections().open(options);
        RedisConnections side = fixture.connections().open();
        result(side.async().clientPause(600));

        KeyRegistry registry = result(RedisKeyRegistry.open(redis));
        try {
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            registry.onChange(heard::add);
            KeyRegistry writer = result(RedisKeyRegistry.open(side));
            result(writer.putKey(secretKey(ID, "dev-1", 1000)));
            // (Each confirmed SUBSCRIBE also tells the listeners "*": those are skipped.)
            Await.element(heard, ("key:" + ID)::equals);
            result(writer.close());
        } finally {
            result(registry.close());
        }
    }
}
