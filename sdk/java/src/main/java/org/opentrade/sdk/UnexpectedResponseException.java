package org.opentrade.sdk;

/**
 * An answer the SDK could not read as the contract says (a body that does not match its schema): the
 * call may have succeeded on the server. Usually an SDK older or newer than the server; quote the
 * message when reporting it.
 */
public class UnexpectedResponseException extends OpenTradeException {
    public UnexpectedResponseException(String message, Throwable cause) {
        super(0, 0, message, null, "", null, cause);
    }
}
