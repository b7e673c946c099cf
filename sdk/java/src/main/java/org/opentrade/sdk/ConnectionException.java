package org.opentrade.sdk;

/** No answer: the connection failed or the request timed out (after the retries the policy allows). */
public class ConnectionException extends OpenTradeException {
    public ConnectionException(String message, Throwable cause) {
        super(0, 0, message, null, "", null, cause);
    }
}
