package org.opentrade.trade.domain.desk;

import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.TradeError;

/**
 * What a request to the desk came to. {@code order} is the order as far as known (null when the
 * request was refused before an order existed).
 *
 * @param exchangeCode the exchange's result code for {@link Kind#REJECTED} (negative), else 0
 */
public record Outcome(Kind kind, Order order, TradeError error, int exchangeCode, String message) {
    /** The kinds of outcome; the HTTP edge maps each to a status. */
    public enum Kind {
        /** A new order was sent and acknowledged by the exchange (201). */
        CREATED,
        /** The request found an earlier identical one (a retry): the original order (200). */
        EXISTING,
        /** A cancel or replace was acknowledged (200). */
        DONE,
        /** Refused by trade-api's own rules before the exchange (4xx with {@code error}). */
        REFUSED,
        /** Refused by the exchange ({@code exchangeCode}). */
        REJECTED,
        /** No answer in time: the order's status is unknown until the feed settles it (504). */
        UNKNOWN,
        /** trade-api cannot take the request now (503). */
        BUSY
    }

    public static Outcome refused(TradeError error, String message) {
        return new Outcome(Kind.REFUSED, null, error, 0, message);
    }

    public static Outcome refused(TradeError error, String message, Order order) {
        return new Outcome(Kind.REFUSED, order, error, 0, message);
    }
}
