package org.opentrade.sdk;

import java.time.Duration;

/** A request the API refused as malformed (-1xxx): fix the request, do not retry it. */
public class InvalidRequestException extends OpenTradeException {
    InvalidRequestException(int httpStatus, int errorNo, String message, String traceId, String body, Duration retryAfter,
            Throwable cause) {
        super(httpStatus, errorNo, message, traceId, body, retryAfter, cause);
    }
}
