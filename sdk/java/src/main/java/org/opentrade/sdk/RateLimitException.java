package org.opentrade.sdk;

import java.time.Duration;

/** Over a rate limit or quota (-3xxx); {@link #retryAfter()} says when the same request would pass. */
public class RateLimitException extends OpenTradeException {
    RateLimitException(int httpStatus, int errorNo, String message, String traceId, String body, Duration retryAfter,
            Throwable cause) {
        super(httpStatus, errorNo, message, traceId, body, retryAfter, cause);
    }
}
