package org.opentrade.trade.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;
import org.opentrade.trade.domain.intent.Intent;

/**
 * What every {@link IntentStore} promises; the in-memory and the file adapter both run it.
 * Restart and crash behaviour is the file adapter's own test (memory does not survive a restart).
 */
public abstract class IntentStoreContract {
    protected IntentStore store;

    /** A new, empty store. */
    protected abstract IntentStore newStore();

    /** The instance id the store was created with. */
    protected abstract int instanceId();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Appends the samples first..last and waits for all their callbacks; returns the called-back indexes. */
    protected List<Long> appendAndAwait(IntentStore s, long first, long last) throws InterruptedException {
        List<Long> called = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch((int) (last - first + 1));
        for (long n = first; n <= last; n++) {
            assertTrue(s.append(SampleIntents.sample(n), i -> {
                called.add(i);
                done.countDown();
            }), "append accepted");
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "all durable callbacks ran");
        return called;
    }

    protected static List<Intent> storedSamples(long first, long last) {
        return LongStream.rangeClosed(first, last).mapToObj(SampleIntents::stored).collect(Collectors.toList());
    }

    @Test
    void appendedIntentsAreReadBackWithGapFreeIndexesFromOne() throws InterruptedException {
        List<Long> called = appendAndAwait(store, 1, 30);
        assertEquals(LongStream.rangeClosed(1, 30).boxed().collect(Collectors.toList()), called);
        assertEquals(storedSamples(1, 30), store.readAll());
        assertEquals(30, store.lastIndex());
    }

    @Test
    void everyKindOfIntentRoundTripsExactlyIncludingExtremeValues() throws InterruptedException {
        Intent[] extremes = SampleIntents.extremes();
        CountDownLatch done = new CountDownLatch(extremes.length);
        for (Intent i : extremes) {
            store.append(i, index -> done.countDown());
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        List<Intent> expected = new ArrayList<>();
        for (int k = 0; k < extremes.length; k++) {
            expected.add(extremes[k].withIndex(k + 1));
        }
        assertEquals(expected, store.readAll());
    }

    @Test
    void theStoreAssignsTheIndexWhateverTheIntentCarries() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        long[] got = new long[1];
        store.append(SampleIntents.sample(5).withIndex(42), i -> {
            got[0] = i;
            done.countDown();
        });
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(1, got[0]);
        assertEquals(List.of(SampleIntents.sample(5).withIndex(1)), store.readAll());
    }

    @Test
    void durableCallbacksRunInIndexOrder() throws InterruptedException {
        List<Long> called = appendAndAwait(store, 1, 2_000);
        assertEquals(LongStream.rangeClosed(1, 2_000).boxed().collect(Collectors.toList()), called);
    }

    @Test
    void concurrentAppendsGetDistinctGapFreeIndexesAndKeepTheirContent() throws Exception {
        int threads = 4;
        int each = 300;
        Set<Long> called = Collections.synchronizedSet(new HashSet<>());
        CountDownLatch done = new CountDownLatch(threads * each);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            ts.add(new Thread(() -> {
                for (int k = 1; k <= each; k++) {
                    while (!store.append(SampleIntents.sample(base + k), i -> {
                        called.add(i);
                        done.countDown();
                    })) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join(30_000);
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(LongStream.rangeClosed(1, threads * each).boxed().collect(Collectors.toSet()), called);
        List<Intent> all = store.readAll();
        assertEquals(threads * each, all.size());
        Set<Intent> contents = new HashSet<>();
        for (int k = 0; k < all.size(); k++) {
            assertEquals(k + 1, all.get(k).index());
            contents.add(all.get(k).withIndex(0));
        }
        Set<Intent> expected = LongStream.rangeClosed(1, threads * each).mapToObj(SampleIntents::sample)
                .collect(Collectors.toSet());
        assertEquals(expected, contents);
    }

    @Test
    void replayHandsOnlyTheIntentsAfterTheGivenIndex() throws InterruptedException {
        appendAndAwait(store, 1, 20);
        List<Intent> replayed = new ArrayList<>();
        store.replay(12, replayed::add);
        assertEquals(storedSamples(13, 20), replayed);
        List<Intent> none = new ArrayList<>();
        store.replay(20, none::add);
        assertEquals(List.of(), none);
    }

    @Test
    void anEmptyStoreReadsNothing() {
        assertEquals(List.of(), store.readAll());
        assertEquals(0, store.lastIndex());
    }

    @Test
    void exchangeIdsAreDistinctIncreasingBelowTwoToThe62AndCarryTheInstanceId() {
        long previous = 0;
        Set<Long> seen = new HashSet<>();
        for (int k = 0; k < 25_000; k++) {
            long id = store.nextExchangeId();
            assertTrue(id > previous, "increasing");
            assertTrue(id > 0 && id < (1L << 62), "in [1, 2^62)");
            assertEquals(instanceId(), ExchangeOrderIds.instanceOf(id));
            assertTrue(seen.add(id));
            previous = id;
        }
    }

    @Test
    void appendAfterCloseIsRefused() {
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.append(SampleIntents.sample(1), i -> { }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        store = null;
    }
}
