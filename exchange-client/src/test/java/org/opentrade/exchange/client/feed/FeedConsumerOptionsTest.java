package org.opentrade.exchange.client.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FeedConsumerOptionsTest {
    private static String rejection(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void defaultsAreNotDurableFollowEveryShardAndAlarmOnTruncation() {
        FeedConsumerOptions o = FeedConsumerOptions.defaults();
        assertFalse(o.isDurable());
        assertEquals(Set.of(), o.shards());
        assertEquals(1000, o.replayPageSize());
        assertEquals(1000, o.checkpointIntervalMillis());
        assertEquals(100_000, o.maxBufferedEvents());
        assertEquals(TruncationPolicy.ALARM, o.truncation());
    }

    @Test
    void withersChangeOneFieldAndKeepTheRest() {
        FeedConsumerOptions o = FeedConsumerOptions.defaults().withConsumerName("market-api.eu-1")
                .withShards(1, 0).withTruncation(TruncationPolicy.SNAPSHOT).withReplayPageSize(10_000);
        assertTrue(o.isDurable());
        assertEquals(Set.of(0, 1), o.shards());
        assertEquals(TruncationPolicy.SNAPSHOT, o.truncation());
        assertEquals(10_000, o.replayPageSize());
        assertEquals(FeedConsumerOptions.DEFAULT_RETRY_MAX_MILLIS, o.retryMaxMillis());
    }

    @Test
    void badValuesAreRejectedNamingTheFieldAndWhatIsAllowed() {
        FeedConsumerOptions d = FeedConsumerOptions.defaults();
        assertTrue(rejection(() -> d.withConsumerName("market api")).startsWith("consumerName must be 1 to 64"));
        assertTrue(rejection(() -> d.withConsumerName("x".repeat(65))).contains("[A-Za-z0-9._-]"));
        assertTrue(rejection(() -> d.withConsumerName("")).startsWith("consumerName"));
        assertEquals("shards must be non-negative shard numbers, got -1", rejection(() -> d.withShards(-1)));
        assertEquals("replayPageSize must be 1..10000, got 10001", rejection(() -> d.withReplayPageSize(10_001)));
        assertEquals("replayPageSize must be 1..10000, got 0", rejection(() -> d.withReplayPageSize(0)));
        assertTrue(rejection(() -> d.withCheckpointIntervalMillis(0)).startsWith("checkpointIntervalMillis"));
        assertTrue(rejection(() -> d.withRetry(500, 100)).contains("retryInitialMillis <= retryMaxMillis"));
        assertTrue(rejection(() -> d.withMaxBufferedEvents(0)).startsWith("maxBufferedEvents"));
        assertEquals("truncation must be SNAPSHOT or ALARM", rejection(() -> d.withTruncation(null)));
    }
}
