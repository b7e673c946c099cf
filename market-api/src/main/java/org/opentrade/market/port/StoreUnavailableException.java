package org.opentrade.market.port;

/** The time-series store could not be reached or refused the call; retrying later may succeed. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
