package org.opentrade.trade.domain.risk;

import java.util.Objects;
import org.opentrade.trade.domain.TradeError;

/**
 * Why an order may not go to the exchange: the error (its {@code error_no}) and a message for a
 * human that names the numbers involved, e.g. {@code "buying power 1 234.56 is less than 10 005.10
 * (100 x 100.00 + fees 5.10)"}. The message is for people, not a contract: clients branch on the
 * error number.
 */
public record Refusal(TradeError error, String message) {
    public Refusal {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    /** The error model's {@code error_no}. */
    public int errorNo() {
        return error.errorNo();
    }
}
