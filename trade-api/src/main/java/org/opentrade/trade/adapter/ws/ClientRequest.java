package org.opentrade.trade.adapter.ws;

import java.util.List;

/** A client frame, decoded on the connection's event loop and handed to the owner context. */
sealed interface ClientRequest {

    /**
     * @param resume the last seq seen of {@code orders}, or -1 when not given
     * @param epoch  the server epoch that seq belongs to (from a {@code subscribed} frame), or null
     */
    record Subscribe(List<String> channels, long resume, String epoch) implements ClientRequest {
    }

    record Unsubscribe(List<String> channels) implements ClientRequest {
    }

    record Ping() implements ClientRequest {
    }

    /** An auth frame: the gateway already authenticated the connection. */
    record Auth() implements ClientRequest {
    }

    /** Anything malformed, answered with -1001 and this message. */
    record Invalid(String message) implements ClientRequest {
    }

    /** The first frame over the per-second budget in a window. */
    record TooManyFrames(int perSecond, int closeAt) implements ClientRequest {
    }

    /** The frame that reached the flood limit: the connection is being closed. */
    record Flooded(int frames) implements ClientRequest {
    }
}
