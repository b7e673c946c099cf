package org.opentrade.trade.domain;

/**
 * trade-api's outcomes that are not success, with their numbers in docs/errors.md: -41xx pre-trade risk and
 * order rules of trade-api (the exchange's own -40xx/-50xx codes pass through unchanged), -1xxx
 * request validation, -2xxx identity, -9xxx internal. Mapped to HTTP in one place (adapter.http).
 */
public enum TradeError {
    INSUFFICIENT_BUYING_POWER(-4101, "insufficient buying power"),
    INSUFFICIENT_POSITION(-4102, "insufficient sellable position"),
    QTY_NOT_BOARD_LOT(-4103, "quantity is not a multiple of the board lot"),
    PRICE_NOT_ON_TICK(-4104, "price is not a multiple of the tick size"),
    PRICE_OUTSIDE_BAND(-4105, "price is outside today's price band"),
    QTY_TOO_LARGE(-4106, "order quantity above the maximum"),
    NOTIONAL_TOO_LARGE(-4107, "order value above the maximum"),
    TOO_MANY_OPEN_ORDERS(-4108, "too many open orders"),
    ORDER_RATE_EXCEEDED(-4109, "too many orders per second"),
    KILL_SWITCH_ACTIVE(-4110, "the account's kill switch is on"),
    CLIENT_ORDER_ID_CONFLICT(-4111, "client_order_id already used with different parameters"),
    UNKNOWN_ORDER(-4112, "no such order"),
    ORDER_NOT_OPEN(-4113, "the order is no longer open"),
    INVALID_ORDER(-4114, "invalid order"),
    IDEMPOTENCY_KEY_CONFLICT(-4115, "Idempotency-Key already used with a different request"),
    UNKNOWN_SYMBOL(-4116, "unknown symbol"),
    NO_POSITION(-4117, "no position in the symbol"),
    SLOW_CONSUMER(-4120, "slow consumer"),
    MALFORMED(-1001, "malformed request"),
    INVALID_PARAMETER(-1002, "invalid parameter"),
    BODY_TOO_LARGE(-1003, "body too large"),
    NOT_FOUND(-1004, "no such endpoint"),
    METHOD_NOT_ALLOWED(-1005, "method not allowed"),
    UNSUPPORTED_MEDIA_TYPE(-1006, "unsupported media type"),
    IDENTITY_MISSING(-2021, "no valid gateway assertion"),
    ADMIN_REQUIRED(-2017, "administrator credential required"),
    NOT_READY(-9001, "trading is not ready"),
    STATUS_UNKNOWN(-9002, "the order's status is unknown"),
    INTERNAL(-9000, "internal error");

    private final int errorNo;
    private final String summary;

    TradeError(int errorNo, String summary) {
        this.errorNo = errorNo;
        this.summary = summary;
    }

    public int errorNo() {
        return errorNo;
    }

    public String summary() {
        return summary;
    }
}
