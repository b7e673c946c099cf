package org.opentrade.trade.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.trade.port.StreamJournal;
import org.opentrade.trade.port.StreamJournalContract;

/**
 * The order stream's journal in a real redis-server, as trade-api runs it in distributed mode (its instance
 * claimed, every write fenced): what one process recorded is what the next one loads, on any host.
 */
class RedisStreamJournalIT extends StreamJournalContract {
    static final int INSTANCE = 7;

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @RegisterExtension
    final ClaimedRedis claimed = new ClaimedRedis(REDIS, INSTANCE);

    private RedisStoreOptions options() {
        return claimed.options();
    }

    @Override
    protected StreamJournal newJournal() {
        return new RedisStreamJournal(claimed.redis());
    }

    /** The next process of the instance: the holder gives its claim back, another connection claims it. */
    @Override
    protected RedisStreamJournal nextProcess() {
        return new RedisStreamJournal(claimed.nextProcess());
    }

    @Test
    void manyBatchesAndAJournalLongerThanOneReadComeBackWhole() {
        RedisStreamJournal first = new RedisStreamJournal(claimed.redis());
        first.load();
        int n = RedisStreamJournal.READ_CHUNK + RedisStreamJournal.MAX_BATCH_RECORDS * 2 + 11;
        for (int seq = 1; seq <= n; seq++) {
            first.frame("dev-a", seq, seq, wire(seq));
            if (seq % 7 == 0) {
                first.flush();
            }
        }
        first.close();
        assertEquals(0, first.dropped());
        List<Long> seqs = seqs(nextProcess().load());
        assertEquals(n, seqs.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, seqs.get(i));
        }
    }

    @Test
    void recordsBeforeTheOlderOfTheTwoNewestDurableMarksAndOlderThanTheKeepTimeAreTrimmed() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        RedisStreamJournal j = new RedisStreamJournal(claimed.redis(), clock::get);
        j.load();
        j.generation("e1", 1);
        long[] tokens = framesAndMarks(j, () -> clock.addAndGet(1_000));
        String length = options().key("stream-journal");
        j.snapshotDurable(tokens[0], 0);
        j.snapshotDurable(tokens[1], 0);
        awaitLength(length, ":23"); // origin, generation, 18 frames, 3 marks: nothing sent before the keep time
        j.snapshotDurable(tokens[2], 10_500); // frames sent from 10 500 on are kept, and the mark of snapshot 1
        awaitLength(length, ":11"); // frame 11 was the first sent at or after 10 500; the generation before it
        j.close();
        assertEquals(0, j.dropped());

        StreamJournal.Recorded r = nextProcess().load();
        assertFalse(r.fromOrigin(), "the origin is trimmed");
        assertEquals(new StreamJournal.Generation("e1", 1), r.entries().get(0),
                "the kept frames' generation, put back at the head by the trim");
        assertTrue(r.entries().contains(new StreamJournal.Mark(1, Map.of(0, 12L))), "the older kept mark: " + r.entries());
        List<Long> kept = seqs(r);
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L), kept, "no hole, up to the last");
    }

    @Test
    void aProcessWhoseClaimWasTakenOverRecordsNothingMore() throws Exception {
        RedisStreamJournal j = new RedisStreamJournal(claimed.redis());
        j.load();
        j.frame("dev-a", 1, 1, wire(1));
        j.flush();
        String list = options().key("stream-journal");
        awaitLength(list, ":2");
        // Another process took the instance over (this one was paused past its lease, say).
        assertEquals("+OK", REDIS.command("SET", options().key("owner"),
                "elsewhere|1|1|0123456789abcdef"));
        j.frame("dev-a", 2, 2, wire(2));
        j.flush();
        until("the journal stops", () -> j.dropped() > 0);
        j.frame("dev-a", 3, 3, wire(3));
        j.close();
        assertEquals(":2", REDIS.command("LLEN", list), "nothing was appended once the claim was another's");
    }

    @Test
    void twoWritersOfOneInstanceCannotInterleave() throws Exception {
        RedisStreamJournal a = new RedisStreamJournal(claimed.redis());
        a.load();
        a.frame("dev-a", 1, 1, wire(1));
        a.flush();
        try (TradeRedis unclaimed = TradeRedis.connect(options())) {
            // A writer that loaded before a's frame went in (what the claim exists to prevent): its appends name
            // an index the list has passed, so Redis refuses them rather than splice them into a's records.
            String list = options().key("stream-journal");
            awaitLength(list, ":2");
            RedisStreamJournal b = new RedisStreamJournal(unclaimed);
            b.load();
            a.frame("dev-a", 2, 2, wire(2));
            a.flush();
            awaitLength(list, ":3");
            b.frame("dev-b", 1, 3, wire(1));
            b.close();
            assertEquals(1, b.dropped(), "b's append was refused");
        }
        a.close();
        assertEquals(List.of(1L, 2L), seqs(nextProcess().load()));
    }

    private static void awaitLength(String key, String expected) throws Exception {
        until(key + " has length " + expected, () -> REDIS.command("LLEN", key).equals(expected));
    }

    /** Polls {@code condition} (Redis answers the journal's writes asynchronously), failing after 10 s. */
    private static void until(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(5); // polling, with a deadline
        }
    }
}
