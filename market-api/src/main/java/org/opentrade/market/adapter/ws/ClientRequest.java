package org.opentrade.market.adapter.ws;

import java.util.List;
import java.util.Map;

/** A client frame, decoded on the connection's event loop and handed to the owner context. */
sealed interface ClientRequest {

    /**
     * @param resume last seq seen per channel, for channels of {@code channels} only
     * @param epoch  the server epoch those seqs belong to (from a {@code subscribed} frame), or null
     */
    record Subscribe(List<String> channels, Map<String, Long> resume, String epoch) implements ClientRequest {
    }

    record Unsubscribe(List<String> channels) implements ClientRequest {
    }

    record Ping() implements ClientRequest {
    }

    /** An auth frame: the gateway already authenticated the connection. */
    record Auth() implements ClientRequest {
    }

    /** Anything malformed, answered with -6010 and this message. */
    record Invalid(String message) implements ClientRequest {
    }

    /** The first frame over the per-second budget in a window. */
    record TooManyFrames(int perSecond, int closeAt) implements ClientRequest {
    }

    /** The frame that reached the flood limit: the connection is being closed. */
    record Flooded(int frames) implements ClientRequest {
    }
}
