package org.opentrade.market.domain;

/**
 * Market-data outcomes that are not success, with their numbers in docs/errors.md (-6xxx; -1xxx for generic
 * request faults, -9xxx internal). Mapped to HTTP status in one place ({@code adapter.http}).
 */
public enum MarketError {
    UNKNOWN_SYMBOL(-6001, "unknown symbol"),
    BAD_INTERVAL(-6002, "bad interval"),
    BAD_RANGE(-6003, "bad time range"),
    BAD_LIMIT(-6004, "bad limit"),
    BAD_CURSOR(-6005, "bad cursor"),
    TOO_MANY_SYMBOLS(-6006, "too many symbols"),
    BAD_RANKING(-6007, "bad ranking"),
    BAD_IMPORT(-6008, "bad import"),
    BAD_LEVELS(-6009, "bad levels"),
    BAD_FRAME(-6010, "bad stream frame"),
    BAD_CHANNEL(-6011, "bad channel"),
    SUBSCRIPTION_LIMIT(-6012, "too many subscriptions"),
    SLOW_CONSUMER(-6013, "slow consumer"),
    HISTORY_UNAVAILABLE(-6014, "history store unavailable"),
    NOT_READY(-6015, "market data not ready"),
    NOT_FOUND(-1004, "no such endpoint"),
    MALFORMED(-1001, "malformed request"),
    INVALID_PARAMETER(-1002, "invalid parameter"),
    BODY_TOO_LARGE(-1003, "body too large"),
    IDENTITY_MISSING(-2021, "no valid gateway assertion"),
    ADMIN_REQUIRED(-2017, "administrator credential required"),
    METHOD_NOT_ALLOWED(-1005, "method not allowed"),
    INTERNAL(-9000, "internal error");

    private final int errorNo;
    private final String summary;

    MarketError(int errorNo, String summary) {
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
