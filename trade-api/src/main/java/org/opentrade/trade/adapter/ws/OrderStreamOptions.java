package org.opentrade.trade.adapter.ws;

import java.util.Objects;
import org.opentrade.trade.domain.stream.RetentionOptions;

/**
 * Knobs of the order stream ({@link OrderStreams}); every value is validated here, so a bad configuration
 * stops start-up with a message naming the field.
 *
 * @param heartbeatIntervalMs      how often each connection gets {@code {"type":"heartbeat"}} with the account's
 *                                 head seq; shorter: a dead link or a missed update is noticed sooner, at one
 *                                 small frame per connection per interval
 * @param retention                what each account keeps for resume (count and age)
 * @param writeQueueHighWaterBytes bytes that may wait to be sent to one connection; beyond it data frames are
 *                                 skipped and the connection is a slow consumer. Bounds the heap one slow client
 *                                 can hold; larger: rides out longer hiccups
 * @param slowConsumerGraceMs      how long a slow consumer has to drain below half the high-water mark before it
 *                                 is closed (1008); it catches up from the account's log if it does
 * @param maxFrameBytes            largest client message (a fragmented one counts whole); larger are answered
 *                                 with an error frame
 * @param maxFramesPerSecond       client frames handled per connection per second; the first frame over it in a
 *                                 second is answered with an error, the rest ignored
 * @param floodCloseFactor         a connection sending {@code floodCloseFactor × maxFramesPerSecond} frames in one
 *                                 second is closed (1008)
 */
public record OrderStreamOptions(long heartbeatIntervalMs, RetentionOptions retention, int writeQueueHighWaterBytes,
                                 long slowConsumerGraceMs, int maxFrameBytes, int maxFramesPerSecond,
                                 int floodCloseFactor) {
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
    public static final int DEFAULT_WRITE_QUEUE_HIGH_WATER_BYTES = 1024 * 1024;
    public static final long DEFAULT_SLOW_CONSUMER_GRACE_MS = 5_000;
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 * 1024;
    public static final int DEFAULT_MAX_FRAMES_PER_SECOND = 20;
    public static final int DEFAULT_FLOOD_CLOSE_FACTOR = 10;

    public OrderStreamOptions {
        Objects.requireNonNull(retention, "retention");
        positive("heartbeat interval (ms)", heartbeatIntervalMs);
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
    }

    public static OrderStreamOptions defaults() {
        return new OrderStreamOptions(DEFAULT_HEARTBEAT_INTERVAL_MS, RetentionOptions.defaults(),
                DEFAULT_WRITE_QUEUE_HIGH_WATER_BYTES, DEFAULT_SLOW_CONSUMER_GRACE_MS, DEFAULT_MAX_FRAME_BYTES,
                DEFAULT_MAX_FRAMES_PER_SECOND, DEFAULT_FLOOD_CLOSE_FACTOR);
    }

    public OrderStreamOptions withHeartbeatIntervalMs(long v) {
        return new OrderStreamOptions(v, retention, writeQueueHighWaterBytes, slowConsumerGraceMs, maxFrameBytes,
                maxFramesPerSecond, floodCloseFactor);
    }

    public OrderStreamOptions withRetention(RetentionOptions v) {
        return new OrderStreamOptions(heartbeatIntervalMs, v, writeQueueHighWaterBytes, slowConsumerGraceMs,
                maxFrameBytes, maxFramesPerSecond, floodCloseFactor);
    }

    public OrderStreamOptions withSlowConsumer(int highWaterBytes, long graceMs) {
        return new OrderStreamOptions(heartbeatIntervalMs, retention, highWaterBytes, graceMs, maxFrameBytes,
                maxFramesPerSecond, floodCloseFactor);
    }

    public OrderStreamOptions withClientFrames(int maxBytes, int perSecond, int closeFactor) {
        return new OrderStreamOptions(heartbeatIntervalMs, retention, writeQueueHighWaterBytes, slowConsumerGraceMs,
                maxBytes, perSecond, closeFactor);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
