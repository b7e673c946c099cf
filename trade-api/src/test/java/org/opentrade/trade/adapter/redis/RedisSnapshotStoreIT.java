package org.opentrade.trade.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.trade.port.SnapshotStore;
import org.opentrade.trade.port.SnapshotStore.Snapshot;
import org.opentrade.trade.port.SnapshotStoreContract;

/** The snapshot store contract against a real redis-server, plus retention, damage and restart. */
class RedisSnapshotStoreIT extends SnapshotStoreContract {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    TradeRedis redis;

    @Override
    protected SnapshotStore newStore() {
        try {
            REDIS.flushAll();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        redis = TradeRedis.connect(options());
        return new RedisSnapshotStore(redis);
    }

    @AfterEach
    void disconnect() {
        if (redis != null) {
            redis.close();
        }
    }

    static RedisStoreOptions options() {
        return RedisStoreOptions.of(REDIS.uri(), 2).withKeyPrefix("it:").withKeepSnapshots(2);
    }

    @Test
    void onlyTheNewestSnapshotsAreKept() {
        for (int k = 1; k <= 5; k++) {
            store.write(k, Map.of(0, (long) k), new byte[]{(byte) k});
        }
        List<byte[]> members = redis.await(redis.async().zrange(redis.options().key("snapshots"), 0, -1), "list");
        assertEquals(List.of("it:trade:2:snapshot:4", "it:trade:2:snapshot:5"),
                members.stream().map(String::new).toList());
        assertEquals(0L, redis.await(redis.async().exists(redis.options().key("snapshot:3")), "exists"));
        assertEquals(5, store.latest().orElseThrow().intentIndex());
    }

    @Test
    void aDamagedNewestSnapshotFallsBackToThePreviousOne() {
        store.write(1, Map.of(0, 10L), new byte[]{1});
        store.write(2, Map.of(0, 20L), new byte[1_000]);
        String newest = redis.options().key("snapshot:2");
        byte[] value = redis.await(redis.async().get(newest), "get");
        value[500] ^= 42;
        redis.await(redis.async().set(newest, value), "set");
        assertEquals(Optional.of(new Snapshot(1, Map.of(0, 10L), new byte[]{1})), store.latest());
    }

    @Test
    void theLatestSnapshotSurvivesARedisCrash() throws Exception {
        store.write(41, Map.of(0, 1_000L, 1, 7L), new byte[]{9, 8, 7});
        redis.close();
        REDIS.crashAndRestart();
        redis = TradeRedis.connect(options());
        assertEquals(Optional.of(new Snapshot(41, Map.of(0, 1_000L, 1, 7L), new byte[]{9, 8, 7})),
                new RedisSnapshotStore(redis).latest());
    }
}
