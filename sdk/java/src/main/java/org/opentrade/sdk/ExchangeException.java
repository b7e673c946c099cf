package org.opentrade.sdk;

import java.time.Duration;

/** The sandbox exchange's answer (-5xxx), passed through. */
public class ExchangeException extends OpenTradeException {
    ExchangeException(int httpStatus, int errorNo, String message, String traceId, String body, Duration retryAfter,
            Throwable cause) {
        super(httpStatus, errorNo, message, traceId, body, retryAfter, cause);
    }
}
