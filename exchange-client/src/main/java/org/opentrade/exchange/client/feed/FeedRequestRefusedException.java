package org.opentrade.exchange.client.feed;

import org.opentrade.exchange.model.ResultCode;

/**
 * The exchange answered a feed request with a negative code (e.g. -5011 BAD_FEED_REQUEST): a
 * business answer, not a transport failure. Replay refusals come back as a {@code FeedBatch} with
 * the code instead, so the consumer can read {@code first_kept_seq}.
 */
public final class FeedRequestRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ResultCode code;

    public FeedRequestRefusedException(ResultCode code, String message) {
        super(code.code() + " " + code.name() + (message == null ? "" : ": " + message), null, false, false);
        this.code = code;
    }

    public ResultCode code() {
        return code;
    }
}
