package org.opentrade.sdk;

import java.time.Duration;

/** A server-side failure (-9xxx), or an answer that is not the error model; quote {@link #traceId()} when reporting it. */
public class ServerException extends OpenTradeException {
    ServerException(int httpStatus, int errorNo, String message, String traceId, String body, Duration retryAfter,
            Throwable cause) {
        super(httpStatus, errorNo, message, traceId, body, retryAfter, cause);
    }
}
