package org.opentrade.sdk;

/**
 * An order placement whose outcome could not be established: every attempt timed out or failed, and
 * so did every look-up by its {@code client_order_id}. The order may exist; look it up by
 * {@link #clientOrderId()} once the service answers again (never place it under a new id).
 */
public class OrderStatusUnknownException extends ServerException {
    private final String clientOrderId;

    OrderStatusUnknownException(String clientOrderId, OpenTradeException last) {
        super(last.httpStatus(), last.errorNo(), "the status of order " + clientOrderId
                + " is unknown; look it up by its client_order_id: " + last.getMessage(), last.traceId(), last.body(),
                null, last);
        this.clientOrderId = clientOrderId;
    }

    public String clientOrderId() {
        return clientOrderId;
    }
}
