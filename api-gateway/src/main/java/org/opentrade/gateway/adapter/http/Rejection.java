package org.opentrade.gateway.adapter.http;

import org.opentrade.gateway.domain.GatewayError;

/**
 * A refused request travelling through a {@code Future} chain to the one place that answers it
 * ({@link HttpErrors}). It is an expected outcome, not a fault: no stack trace is captured.
 */
public final class Rejection extends RuntimeException {
    private final GatewayError error;

    public Rejection(GatewayError error) {
        this(error, error.message());
    }

    public Rejection(GatewayError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public GatewayError error() {
        return error;
    }
}
