package org.opentrade.sdk.stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a stream delivers. Every method is called on the stream's one dispatch thread, in order, never
 * concurrently; while a call runs, further frames wait in a bounded queue and then in the socket
 * (back-pressure), so a slow handler slows the stream instead of losing messages. A handler that
 * throws anything (an exception, checked or not, or an error such as a failed assertion) is reported to
 * {@link #onHandlerFailure} and the stream goes on; what the other methods throw is logged.
 */
public interface StreamListener {

    /** A data frame, exactly once and in {@code seq} order per channel. */
    void onMessage(StreamMessage message);

    /** The connection state changed; {@code reason} says why (null when there is nothing to say). */
    default void onState(StreamState state, String reason) {
    }

    /** An error frame from the server (the error model, with {@code channels} when it concerns some). */
    default void onErrorFrame(JsonNode error) {
    }

    /**
     * {@link #onMessage} threw; the message counts as delivered. A {@code RuntimeException} is given as thrown;
     * anything else (an {@code Error}, a checked exception thrown from Kotlin or sneakily) as the cause of a
     * {@code RuntimeException}.
     */
    default void onHandlerFailure(StreamMessage message, RuntimeException failure) {
    }
}
