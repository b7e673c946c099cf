package org.opentrade.trade.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;
import org.opentrade.trade.port.IntentStore;
import org.opentrade.trade.port.IntentStoreContract;

/** The intent store contract against a real redis-server, plus what only a real server shows. */
class RedisIntentStoreIT extends IntentStoreContract {
    static final int INSTANCE = 5;

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    TradeRedis redis;

    @AfterEach
    void disconnect() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    @Override
    protected IntentStore newStore() {
        if (redis == null) {
            try {
                REDIS.flushAll();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            redis = claimed(options(INSTANCE)); // as trade-api runs it: every write guarded by the claim
        }
        return new RedisIntentStore(redis);
    }

    /** A connection that claimed the instance's key space (lease of 5 s, waiting at most 1 s for it). */
    static TradeRedis claimed(RedisStoreOptions options) {
        TradeRedis r = TradeRedis.connect(options);
        try {
            r.claimInstance(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    @Override
    protected int instanceId() {
        return INSTANCE;
    }

    static RedisStoreOptions options(int instance) {
        return RedisStoreOptions.of(REDIS.uri(), instance).withKeyPrefix("it:").withExchangeIdBlock(1_000);
    }

    @Test
    void acknowledgedIntentsAndExchangeIdsSurviveARedisCrashWithAppendfsyncAlways() throws Exception {
        appendAndAwait(store, 1, 50);
        long before = store.nextExchangeId();
        store.close();
        redis.close();
        REDIS.crashAndRestart();
        redis = TradeRedis.connect(options(INSTANCE));
        store = new RedisIntentStore(redis);
        assertEquals(storedSamples(1, 50), store.readAll());
        assertEquals(50, store.lastIndex());
        assertTrue(store.nextExchangeId() > before, "ids continue above the reserved block, never reused");
        assertEquals(List.of(51L, 52L), appendAndAwait(store, 51, 52));
    }

    @Test
    void exchangeIdsKeepComingWhileRedisIsPausedBecauseTheNextBlockIsReservedAhead() throws Exception {
        store.close();
        redis.close();
        REDIS.flushAll();
        RedisStoreOptions options = RedisStoreOptions.of(REDIS.uri(), INSTANCE).withKeyPrefix("it:").withExchangeIdBlock(10);
        redis = TradeRedis.connect(options);
        store = new RedisIntentStore(redis);
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            ids.add(store.nextExchangeId()); // past half of the first block: the second is asked for
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!":20".equals(REDIS.command("INCRBY", options.key("exchange-ids"), "0"))) { // reads it as an integer reply
            assertTrue(System.nanoTime() < deadline, "the second block was not reserved ahead");
            Thread.sleep(5); // polling Redis for the reservation, not waiting out a fixed time
        }
        // Writes (INCRBY) now wait 60 s, far past the command timeout: a reservation made only when a block
        // runs out would fail here.
        REDIS.command("CLIENT", "PAUSE", "60000", "WRITE");
        try {
            for (int i = 6; i < 20; i++) {
                ids.add(store.nextExchangeId()); // the rest of block 1 and all of block 2
            }
        } finally {
            REDIS.command("CLIENT", "UNPAUSE");
        }
        assertEquals(20, ids.size(), "twenty distinct ids while Redis answered no write");
    }

    @Test
    void twoInstancesOnOneServerKeepSeparateLogsAndDistinctExchangeIds() throws Exception {
        appendAndAwait(store, 1, 3);
        try (TradeRedis other = TradeRedis.connect(options(6))) {
            RedisIntentStore second = new RedisIntentStore(other);
            assertEquals(List.of(1L, 2L), appendAndAwait(second, 10, 11));
            assertEquals(storedSamples(1, 3), store.readAll());
            assertEquals(List.of(org.opentrade.trade.port.SampleIntents.stored(10).withIndex(1),
                    org.opentrade.trade.port.SampleIntents.stored(11).withIndex(2)), second.readAll());
            Set<Long> ids = new HashSet<>();
            for (int k = 0; k < 3_000; k++) {
                assertTrue(ids.add(store.nextExchangeId()));
                assertTrue(ids.add(second.nextExchangeId()));
            }
            assertEquals(6, ExchangeOrderIds.instanceOf(second.nextExchangeId()));
            second.close();
        }
    }

    @Test
    void aReplayReadsALogLongerThanOneChunk() throws Exception {
        int n = RedisIntentStore.READ_CHUNK * 2 + 7;
        appendAndAwait(store, 1, n);
        assertEquals(storedSamples(1, n), store.readAll());
        List<org.opentrade.trade.domain.intent.Intent> tail = new java.util.ArrayList<>();
        store.replay(RedisIntentStore.READ_CHUNK + 3, tail::add);
        assertEquals(storedSamples(RedisIntentStore.READ_CHUNK + 4, n), tail);
    }

    @Test
    void aPrunedLogKeepsItsIndexesAcrossAppendsAndAReopenAndRefusesAReplayFromBeforeThePrune() throws Exception {
        RedisIntentStore redisStore = (RedisIntentStore) store;
        appendAndAwait(store, 1, 10);
        store.prune(4);
        assertEquals(List.of(11L, 12L, 13L), appendAndAwait(store, 11, 13), "indexes go on after a prune");
        assertEquals(4, redisStore.pruned());
        assertEquals(":9", REDIS.command("LLEN", options(INSTANCE).key("intents")), "four intents dropped off the head");
        List<org.opentrade.trade.domain.intent.Intent> tail = new java.util.ArrayList<>();
        store.replay(4, tail::add);
        assertEquals(storedSamples(5, 13), tail);
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> store.replay(3, i -> { }));
        assertTrue(refused.getMessage().contains("pruned"), refused.getMessage());
        store.prune(2); // at or below what was pruned: nothing
        assertEquals(4, redisStore.pruned());

        store.close();
        store = new RedisIntentStore(redis);
        assertEquals(13, store.lastIndex(), "reopened: the last index counts the pruned intents");
        List<org.opentrade.trade.domain.intent.Intent> again = new java.util.ArrayList<>();
        store.replay(4, again::add);
        assertEquals(storedSamples(5, 13), again);
        assertEquals(List.of(14L), appendAndAwait(store, 14, 14));
    }

    @Test
    void aPruneAmongAppendsInFlightLeavesEveryIndexRight() throws Exception {
        List<Long> called = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(2_000);
        for (long n = 1; n <= 2_000; n++) {
            assertTrue(store.append(org.opentrade.trade.port.SampleIntents.sample(n), i -> {
                called.add(i);
                done.countDown();
            }));
            if (n % 500 == 0) {
                store.prune(n - 300); // issued while earlier appends are still unanswered
            }
        }
        assertTrue(done.await(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 2_000).boxed().toList(), called,
                "every callback its own index, in order");
        assertEquals(1_700, ((RedisIntentStore) store).pruned());
        List<org.opentrade.trade.domain.intent.Intent> tail = new java.util.ArrayList<>();
        store.replay(1_700, tail::add);
        assertEquals(storedSamples(1_701, 2_000), tail);
    }

    @Test
    void aPruneRedisRefusesStopsTheStoreAsAFailedAppendDoes() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> stopped = new java.util.concurrent.atomic.AtomicReference<>();
        store.onFailure(stopped::set);
        appendAndAwait(store, 1, 10);
        REDIS.command("SET", options(INSTANCE).key("intents-base"), "3"); // someone else moved the base
        store.prune(5);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (stopped.get() == null) {
            assertTrue(System.nanoTime() < deadline, "the store did not stop");
            Thread.sleep(5); // polling for the failure callback, with a deadline
        }
        assertTrue(stopped.get().getMessage().contains("base"), stopped.get().toString());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> store.append(org.opentrade.trade.port.SampleIntents.sample(11), i -> { }));
        assertEquals(":10", REDIS.command("LLEN", options(INSTANCE).key("intents")), "nothing was trimmed");
    }

    @Test
    void aSecondProcessWithTheSameInstanceIsRefusedWhileTheFirstHoldsItAndTakesOverOnceItIsReleased() throws Exception {
        appendAndAwait(store, 1, 3);
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> claimed(options(INSTANCE)));
        assertTrue(refused.getMessage().contains("same instance id"), refused.getMessage());
        assertEquals(List.of(4L), appendAndAwait(store, 4, 4), "the holder goes on writing");
        store.close();
        redis.close(); // gives the claim back
        redis = claimed(options(INSTANCE));
        store = new RedisIntentStore(redis);
        assertEquals(storedSamples(1, 4), store.readAll());
        assertEquals(List.of(5L), appendAndAwait(store, 5, 5));
    }

    @Test
    void aProcessWhoseClaimWasTakenOverWritesNothingMoreAndItsStoreStops() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> stopped = new java.util.concurrent.atomic.AtomicReference<>();
        store.onFailure(stopped::set);
        appendAndAwait(store, 1, 3);
        // Another process took the instance over (this one was paused past its lease, say).
        assertEquals("+OK", REDIS.command("SET", options(INSTANCE).key("owner"), "elsewhere|1|1|0123456789abcdef"));
        java.util.concurrent.atomic.AtomicBoolean called = new java.util.concurrent.atomic.AtomicBoolean();
        assertTrue(store.append(org.opentrade.trade.port.SampleIntents.sample(4), i -> called.set(true)));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (stopped.get() == null) {
            assertTrue(System.nanoTime() < deadline, "the store did not stop");
            Thread.sleep(5); // polling for the failure callback, with a deadline
        }
        assertTrue(String.valueOf(stopped.get()).contains("FENCED") || String.valueOf(stopped.get()).contains("claim"),
                String.valueOf(stopped.get()));
        assertTrue(!called.get(), "the refused append was never acknowledged");
        assertEquals(":3", REDIS.command("LLEN", options(INSTANCE).key("intents")), "nothing was appended");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> store.append(org.opentrade.trade.port.SampleIntents.sample(5), i -> { }));
        RedisSnapshotStore snapshots = new RedisSnapshotStore(redis);
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> snapshots.write(3, java.util.Map.of(0, 1L), new byte[] {1, 2, 3}));
        assertTrue(refused.getMessage().contains("FENCED"), refused.getMessage());
        assertEquals(":0", REDIS.command("EXISTS", options(INSTANCE).key("snapshots")), "no snapshot was written");
        redis.close();
        redis = null;
        assertEquals(":1", REDIS.command("EVAL", "return redis.call('GET', KEYS[1]) == ARGV[1] and 1 or 0", "1",
                options(INSTANCE).key("owner"), "elsewhere|1|1|0123456789abcdef"),
                "closing did not take the other process's claim away");
    }

    /**
     * A process whose connection dropped (Lettuce does not open it again) can no longer renew its claim, which expires
     * 5 s after the last renewal Redis took; another process of the instance may take it then. Its store stops before
     * that, with no write needed to find out: it stayed open while idle, and the process went on acting for the
     * instance (resending unanswered orders to the exchange beside the new holder).
     */
    @Test
    void aProcessThatCannotRenewItsClaimStopsItsStoreBeforeTheClaimCanExpire() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> stopped = new java.util.concurrent.atomic.AtomicReference<>();
        store.onFailure(stopped::set);
        appendAndAwait(store, 1, 3);
        Thread.sleep(6_000); // past the 5 s TTL with every renewal answered: the claim is still this process's
        assertEquals(null, stopped.get(), "a claim renewed all along counted lost");
        appendAndAwait(store, 4, 4);
        long dropped = System.nanoTime();
        REDIS.command("CLIENT", "KILL", "TYPE", "normal"); // every connection but the one asking
        long deadline = dropped + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (stopped.get() == null) {
            assertTrue(System.nanoTime() < deadline, "the store did not stop: its process goes on as the instance's"
                    + " while its claim expires");
            Thread.sleep(5); // polling for the failure callback, with a deadline
        }
        assertTrue(System.nanoTime() - dropped < java.util.concurrent.TimeUnit.SECONDS.toNanos(5),
                "stopped only a TTL after its connection dropped");
        assertTrue(String.valueOf(stopped.get()).contains("claim"), String.valueOf(stopped.get()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> store.append(org.opentrade.trade.port.SampleIntents.sample(5), i -> { }));
    }

    @Test
    void aClaimOfAProcessOfThisHostThatNoLongerRunsIsTakenOverAtOnce() throws Exception {
        store.close();
        redis.close();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = InstanceLease.holderPrefix().split("\\|")[0];
        String deadHolder = host + "|" + gone.pid() + "|" + gone.info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(1L) + "|0123456789abcdef";
        assertTrue(InstanceLease.deadOnThisHost(deadHolder));
        assertEquals("+OK", REDIS.command("SET", options(INSTANCE).key("owner"), deadHolder, "PX", "60000"));
        redis = claimed(options(INSTANCE)); // would be refused after 1 s if it waited for the 60 s lease
        store = new RedisIntentStore(redis);
        assertEquals(List.of(1L), appendAndAwait(store, 1, 1));
    }

    @Test
    void aClaimHeldOnAnotherHostIsRefusedUntilItExpiresThenTaken() throws Exception {
        store.close();
        redis.close();
        redis = null;
        String ownerKey = options(INSTANCE).key("owner");
        assertEquals("+OK", REDIS.command("SET", ownerKey, "another-host|1|1|0123456789abcdef", "PX", "60000"));
        assertTrue(!InstanceLease.deadOnThisHost("another-host|1|1|0123456789abcdef"), "another host's process is not judged");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> claimed(options(INSTANCE)));
        assertEquals(":1", REDIS.command("PEXPIRE", ownerKey, "300")); // the other host stopped renewing it
        redis = claimed(options(INSTANCE));
        store = new RedisIntentStore(redis);
        assertEquals(List.of(1L), appendAndAwait(store, 1, 1));
    }

    @Test
    void optionsNeverPrintThePassword() {
        RedisStoreOptions o = RedisStoreOptions.of("redis://user:s3cret@127.0.0.1:1/0", 1);
        assertTrue(!o.toString().contains("s3cret"), o.toString());
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TradeRedis.connect(o));
        assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
        assertNotEquals(-1, e.getMessage().indexOf("***@127.0.0.1:1"), e.getMessage());
    }
}
