package org.opentrade.market.adapter.ws;

import java.util.Objects;
import org.opentrade.market.domain.stream.RetentionOptions;

/**
 * Knobs of the market stream server ({@link MarketStreams}); every value is validated here, so a bad
 * configuration stops start-up with a message naming the field.
 *
 * @param heartbeatIntervalMs            how often each connection gets {@code {"type":"heartbeat"}} with its
 *                                       channels' head seqs; shorter: gaps and dead links are noticed sooner,
 *                                       at one small frame per connection per interval
 * @param retention                      what each channel keeps for resume (count and age)
 * @param maxSubscriptionsPerConnection  channels one connection may hold; also the most channels one
 *                                       subscribe frame may list (the plan's per-key limit comes with the caller)
 * @param writeQueueHighWaterBytes       bytes that may wait to be sent to one connection; beyond it data frames
 *                                       are skipped and the connection is a slow consumer. Bounds the heap one
 *                                       slow client can hold; larger: rides out longer hiccups
 * @param slowConsumerGraceMs            how long a slow consumer has to drain below half the high-water mark
 *                                       before it is closed (1008); it catches up from the channel logs if it does
 * @param maxFrameBytes                  largest client message (a fragmented one counts whole); larger are
 *                                       answered with an error frame
 * @param maxFramesPerSecond             client frames handled per connection per second; the first frame over it
 *                                       in a second is answered with an error, the rest ignored
 * @param floodCloseFactor               a connection sending {@code floodCloseFactor × maxFramesPerSecond} frames in one
 *                                       second is closed (1008)
 * @param resumeAheadWaitMs              how long a resume of a trades channel with a seq this instance has not
 *                                       reached yet (another instance was ahead on the feed) waits for it before
 *                                       the client gets a flagged snapshot
 */
public record StreamOptions(long heartbeatIntervalMs, RetentionOptions retention, int maxSubscriptionsPerConnection,
                            int writeQueueHighWaterBytes, long slowConsumerGraceMs, int maxFrameBytes,
                            int maxFramesPerSecond, int floodCloseFactor, long resumeAheadWaitMs) {
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 50;
    public static final int DEFAULT_WRITE_QUEUE_HIGH_WATER_BYTES = 1024 * 1024;
    public static final long DEFAULT_SLOW_CONSUMER_GRACE_MS = 5_000;
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_FRAMES_PER_SECOND = 50;
    public static final int DEFAULT_FLOOD_CLOSE_FACTOR = 10;
    public static final long DEFAULT_RESUME_AHEAD_WAIT_MS = 5_000;

    public StreamOptions {
        Objects.requireNonNull(retention, "retention");
        positive("heartbeat interval (ms)", heartbeatIntervalMs);
        positive("max subscriptions per connection", maxSubscriptionsPerConnection);
        if (writeQueueHighWaterBytes < 1024) {
            throw new IllegalArgumentException("write queue high-water mark must be at least 1024 bytes, was "
                    + writeQueueHighWaterBytes);
        }
        positive("slow consumer grace (ms)", slowConsumerGraceMs);
        if (maxFrameBytes < 256) {
            throw new IllegalArgumentException("max frame size must be at least 256 bytes, was " + maxFrameBytes);
        }
        positive("max frames per second", maxFramesPerSecond);
        if (floodCloseFactor < 2) {
            throw new IllegalArgumentException("flood close factor must be at least 2, was " + floodCloseFactor);
        }
        positive("resume ahead wait (ms)", resumeAheadWaitMs);
    }

    public static StreamOptions defaults() {
        return new StreamOptions(DEFAULT_HEARTBEAT_INTERVAL_MS, RetentionOptions.defaults(),
                DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION, DEFAULT_WRITE_QUEUE_HIGH_WATER_BYTES,
                DEFAULT_SLOW_CONSUMER_GRACE_MS, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_FRAMES_PER_SECOND,
                DEFAULT_FLOOD_CLOSE_FACTOR, DEFAULT_RESUME_AHEAD_WAIT_MS);
    }

    public StreamOptions withHeartbeatIntervalMs(long v) {
        return new StreamOptions(v, retention, maxSubscriptionsPerConnection, writeQueueHighWaterBytes,
                slowConsumerGraceMs, maxFrameBytes, maxFramesPerSecond, floodCloseFactor, resumeAheadWaitMs);
    }

    public StreamOptions withRetention(RetentionOptions v) {
        return new StreamOptions(heartbeatIntervalMs, v, maxSubscriptionsPerConnection, writeQueueHighWaterBytes,
                slowConsumerGraceMs, maxFrameBytes, maxFramesPerSecond, floodCloseFactor, resumeAheadWaitMs);
    }

    public StreamOptions withMaxSubscriptionsPerConnection(int v) {
        return new StreamOptions(heartbeatIntervalMs, retention, v, writeQueueHighWaterBytes,
                slowConsumerGraceMs, maxFrameBytes, maxFramesPerSecond, floodCloseFactor, resumeAheadWaitMs);
    }

    public StreamOptions withSlowConsumer(int highWaterBytes, long graceMs) {
        return new StreamOptions(heartbeatIntervalMs, retention, maxSubscriptionsPerConnection, highWaterBytes,
                graceMs, maxFrameBytes, maxFramesPerSecond, floodCloseFactor, resumeAheadWaitMs);
    }

    public StreamOptions withClientFrames(int maxBytes, int perSecond, int closeFactor) {
        return new StreamOptions(heartbeatIntervalMs, retention, maxSubscriptionsPerConnection,
                writeQueueHighWaterBytes, slowConsumerGraceMs, maxBytes, perSecond, closeFactor, resumeAheadWaitMs);
    }

    public StreamOptions withResumeAheadWaitMs(long v) {
        return new StreamOptions(heartbeatIntervalMs, retention, maxSubscriptionsPerConnection,
                writeQueueHighWaterBytes, slowConsumerGraceMs, maxFrameBytes, maxFramesPerSecond, floodCloseFactor, v);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
