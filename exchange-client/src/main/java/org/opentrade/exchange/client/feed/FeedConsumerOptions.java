package org.opentrade.exchange.client.feed;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Configuration of a {@link FeedConsumer}, validated when built: a bad value throws
 * IllegalArgumentException naming the field and what is allowed. Start from {@link #defaults()}.
 *
 * @param consumerName       durable consumer name (≤ 64 of {@code [A-Za-z0-9._-]}): the exchange keeps
 *                           events until this consumer has checkpointed past them; null = not durable
 *                           (the exchange keeps only its retention window)
 * @param shards             the shards to follow; empty = every shard the exchange has
 * @param replayPageSize     events per replay request, 1..{@value #MAX_REPLAY_PAGE_SIZE}: larger pages
 *                           catch up faster; smaller ones hold the consumer's thread for less time
 * @param checkpointIntervalMillis how often a durable consumer reports its position: shorter lets the
 *                           exchange prune sooner; longer sends fewer messages
 * @param retryInitialMillis first delay after a failed or refused request; doubles on each further
 *                           failure up to {@code retryMaxMillis}, and resets once the shard progresses
 * @param retryMaxMillis     longest delay between retries
 * @param maxBufferedEvents  live events held per shard while it resumes; beyond that the buffer is
 *                           dropped and the replay carries on (memory stays bounded, the bus never
 *                           waits on us)
 * @param truncation         what a shard does when its next events are no longer kept
 */
public record FeedConsumerOptions(String consumerName, Set<Integer> shards, int replayPageSize,
                                  long checkpointIntervalMillis, long retryInitialMillis, long retryMaxMillis,
                                  int maxBufferedEvents, TruncationPolicy truncation) {
    public static final int DEFAULT_REPLAY_PAGE_SIZE = 1000;
    /** The exchange answers at most this many events per replay. */
    public static final int MAX_REPLAY_PAGE_SIZE = 10_000;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MILLIS = 1000;
    public static final long DEFAULT_RETRY_INITIAL_MILLIS = 100;
    public static final long DEFAULT_RETRY_MAX_MILLIS = 5000;
    public static final int DEFAULT_MAX_BUFFERED_EVENTS = 100_000;
    /** ALARM: doing something on the consumer's behalf (a snapshot) is an explicit choice. */
    public static final TruncationPolicy DEFAULT_TRUNCATION = TruncationPolicy.ALARM;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public FeedConsumerOptions {
        if (consumerName != null && !NAME.matcher(consumerName).matches()) {
            throw new IllegalArgumentException("consumerName must be 1 to 64 of [A-Za-z0-9._-] (or null: not durable),"
                    + " got '" + consumerName + "'");
        }
        shards = shards == null ? Set.of() : Set.copyOf(new TreeSet<>(shards));
        for (int s : shards) {
            if (s < 0) {
                throw new IllegalArgumentException("shards must be non-negative shard numbers, got " + s);
            }
        }
        if (replayPageSize < 1 || replayPageSize > MAX_REPLAY_PAGE_SIZE) {
            throw new IllegalArgumentException("replayPageSize must be 1.." + MAX_REPLAY_PAGE_SIZE + ", got "
                    + replayPageSize);
        }
        if (checkpointIntervalMillis < 1) {
            throw new IllegalArgumentException("checkpointIntervalMillis must be positive, got "
                    + checkpointIntervalMillis);
        }
        if (retryInitialMillis < 1 || retryMaxMillis < retryInitialMillis) {
            throw new IllegalArgumentException("retry delays must satisfy 1 <= retryInitialMillis <= retryMaxMillis,"
                    + " got " + retryInitialMillis + " and " + retryMaxMillis);
        }
        if (maxBufferedEvents < 1) {
            throw new IllegalArgumentException("maxBufferedEvents must be positive, got " + maxBufferedEvents);
        }
        if (truncation == null) {
            throw new IllegalArgumentException("truncation must be SNAPSHOT or ALARM");
        }
    }

    /** Not durable, every shard, the DEFAULT_* values. */
    public static FeedConsumerOptions defaults() {
        return new FeedConsumerOptions(null, Set.of(), DEFAULT_REPLAY_PAGE_SIZE, DEFAULT_CHECKPOINT_INTERVAL_MILLIS,
                DEFAULT_RETRY_INITIAL_MILLIS, DEFAULT_RETRY_MAX_MILLIS, DEFAULT_MAX_BUFFERED_EVENTS,
                DEFAULT_TRUNCATION);
    }

    public boolean isDurable() {
        return consumerName != null;
    }

    public FeedConsumerOptions withConsumerName(String name) {
        return new FeedConsumerOptions(name, shards, replayPageSize, checkpointIntervalMillis, retryInitialMillis,
                retryMaxMillis, maxBufferedEvents, truncation);
    }

    public FeedConsumerOptions withShards(Integer... subset) {
        return new FeedConsumerOptions(consumerName, Set.of(subset), replayPageSize, checkpointIntervalMillis,
                retryInitialMillis, retryMaxMillis, maxBufferedEvents, truncation);
    }

    public FeedConsumerOptions withReplayPageSize(int events) {
        return new FeedConsumerOptions(consumerName, shards, events, checkpointIntervalMillis, retryInitialMillis,
                retryMaxMillis, maxBufferedEvents, truncation);
    }

    public FeedConsumerOptions withCheckpointIntervalMillis(long millis) {
        return new FeedConsumerOptions(consumerName, shards, replayPageSize, millis, retryInitialMillis,
                retryMaxMillis, maxBufferedEvents, truncation);
    }

    public FeedConsumerOptions withRetry(long initialMillis, long maxMillis) {
        return new FeedConsumerOptions(consumerName, shards, replayPageSize, checkpointIntervalMillis, initialMillis,
                maxMillis, maxBufferedEvents, truncation);
    }

    public FeedConsumerOptions withMaxBufferedEvents(int events) {
        return new FeedConsumerOptions(consumerName, shards, replayPageSize, checkpointIntervalMillis,
                retryInitialMillis, retryMaxMillis, events, truncation);
    }

    public FeedConsumerOptions withTruncation(TruncationPolicy policy) {
        return new FeedConsumerOptions(consumerName, shards, replayPageSize, checkpointIntervalMillis,
                retryInitialMillis, retryMaxMillis, maxBufferedEvents, policy);
    }
}
