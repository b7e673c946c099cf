package org.opentrade.sdk.stream;

/** A stream's connection state, reported to {@link StreamListener#onState}. */
public enum StreamState {
    /** Opening the WebSocket (first time). */
    CONNECTING,
    /** Subscribed: messages flow. */
    LIVE,
    /** Lost (closed, failed, silent past the heartbeat timeout, or a gap seen); reconnecting to resume. */
    RECONNECTING,
    /** Closed for good: by {@link StreamClient#close()}, or credentials refused. */
    CLOSED
}
