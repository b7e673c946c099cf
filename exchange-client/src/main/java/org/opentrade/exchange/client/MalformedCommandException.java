package org.opentrade.exchange.client;

import org.opentrade.exchange.model.Command;

/**
 * A command body that cannot become a {@link Command}. Carries what could be read, so the
 * REJECTED answer still echoes the order id, account and symbol.
 */
public final class MalformedCommandException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Command partial;

    MalformedCommandException(String message, Command partial) {
        super(message, null, false, false);
        this.partial = partial;
    }

    /** The fields that could be read (others null or zero); may be null when nothing was readable. */
    public Command partial() {
        return partial;
    }
}
