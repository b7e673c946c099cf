package org.opentrade.exchange.client.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;

/**
 * The exactly-once claim on seeded random histories: live batches dropped, duplicated and reordered
 * (heartbeats too), replies delayed, failed and refused, the exchange down for a while, the
 * consumer restarted from the handler's position. Whatever happens, every shard's handler sees
 * 1..N once each, in order.
 */
class FeedConsumerPropertyTest {
    private static final int SHARDS = 2;
    private static final int EVENTS = 100_000;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeExchange exchange = new FakeExchange(SHARDS);
    private final RecordingHandler handler = new RecordingHandler();
    /** Live batches on their way, in arrival order; the network may drop, repeat and reorder. */
    private final List<FeedBatch> inFlight = new ArrayList<>();
    private Random random;
    private FeedConsumerOptions options;
    private FeedConsumer consumer;
    private int restarts;
    /** Counters of every consumer life, summed per kind. */
    private long gaps;
    private long duplicates;
    private long retries;
    private long overflows;

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 20260105L})
    void randomDropsDuplicatesReordersFailuresAndRestartsDeliverEveryEventOnceInOrder(long seed) {
        random = new Random(seed);
        options = FeedConsumerOptions.defaults().withConsumerName("prop")
                .withReplayPageSize(1 + random.nextInt(300))
                .withMaxBufferedEvents(50 + random.nextInt(2000));
        exchange.holdReplies = true;
        startConsumer();

        int appended = 0;
        while (appended < EVENTS) {
            int n = 1 + random.nextInt(20);
            send(exchange.append(random.nextInt(SHARDS), n));
            appended += n;
            chaos();
        }
        settle();

        for (int s = 0; s < SHARDS; s++) {
            assertEquals(List.of(), handler.violations);
            long head = exchange.head(s);
            assertEquals(LongStream.rangeClosed(1, head).boxed().toList(), handler.seqs(s), "shard " + s);
            ShardStats st = consumer.stats(s);
            assertEquals(ShardState.LIVE, st.state(), st.toString());
        }
        collect();
        assertTrue(restarts > 0, "the history included restarts");
        assertTrue(gaps > 0 && duplicates > 0 && retries > 0, "gaps " + gaps + ", duplicates " + duplicates
                + ", retries " + retries + ", overflows " + overflows);
    }

    private void startConsumer() {
        consumer = new FeedConsumer(exchange, scheduler, handler, options);
        consumer.start();
        scheduler.runReady();
    }

    /** The network: drop 3 %, duplicate 3 %, reorder 5 % (overtake up to 3 batches). */
    private void send(FeedBatch b) {
        int r = random.nextInt(100);
        if (r < 3) {
            return;
        }
        inFlight.add(b);
        if (r < 6) {
            inFlight.add(b);
        } else if (r < 11 && inFlight.size() > 1) {
            int back = 1 + random.nextInt(Math.min(3, inFlight.size() - 1));
            inFlight.add(inFlight.size() - 1 - back, inFlight.remove(inFlight.size() - 1));
        }
    }

    private void chaos() {
        int deliver = random.nextInt(4);
        for (int i = 0; i < deliver && !inFlight.isEmpty(); i++) {
            exchange.publish(inFlight.remove(0));
        }
        int r = random.nextInt(1000);
        if (r < 40) {
            send(exchange.heartbeat(random.nextInt(SHARDS)));
        } else if (r < 60) {
            exchange.replayScript.add(new TimeoutException("timed out"));
        } else if (r < 70) {
            exchange.replayScript.add(FeedBatch.refused(0, ResultCode.BAD_FEED_REQUEST, "bad", 0, 0));
        } else if (r < 72) {
            exchange.down = !exchange.down;
        } else if (r < 74) {
            restartConsumer();
        }
        if (random.nextInt(3) == 0) {
            int release = random.nextInt(3);
            for (int i = 0; i < release; i++) {
                exchange.releaseOne();
            }
        }
        scheduler.advance(random.nextInt(60));
    }

    private void restartConsumer() {
        restarts++;
        collect();
        consumer.stop();
        scheduler.runReady();
        startConsumer();
    }

    private void collect() {
        for (ShardStats st : consumer.stats()) {
            gaps += st.gaps();
            duplicates += st.duplicates();
            retries += st.retries();
            overflows += st.bufferOverflows();
        }
    }

    /** The network heals: everything in flight arrives, heartbeats flow, time passes until caught up. */
    private void settle() {
        exchange.down = false;
        exchange.replayScript.clear();
        for (int round = 0; round < 10_000 && !caughtUp(); round++) {
            while (!inFlight.isEmpty()) {
                exchange.publish(inFlight.remove(0));
            }
            for (int s = 0; s < SHARDS; s++) {
                exchange.publish(exchange.heartbeat(s));
            }
            exchange.releaseAll();
            scheduler.advance(1000);
        }
    }

    private boolean caughtUp() {
        for (int s = 0; s < SHARDS; s++) {
            ShardStats st = consumer.stats(s);
            if (st == null || st.state() != ShardState.LIVE || handler.applied(s) != exchange.head(s)) {
                return false;
            }
        }
        return true;
    }
}
