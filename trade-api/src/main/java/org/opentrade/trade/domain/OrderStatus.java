package org.opentrade.trade.domain;

/** Order statuses of docs/contracts.md (a contract), with their wire names. */
public enum OrderStatus {
    PENDING_NEW("pending_new"), NEW("new"), PARTIALLY_FILLED("partially_filled"), FILLED("filled"),
    CANCELED("canceled"), EXPIRED("expired"), REJECTED("rejected"), REPLACED("replaced"),
    PENDING_CANCEL("pending_cancel"), PENDING_REPLACE("pending_replace");

    private final String wire;

    OrderStatus(String wire) {
        this.wire = wire;
    }

    public String wireName() {
        return wire;
    }

    /** Whether the order can still trade or be canceled. */
    public boolean isOpen() {
        return switch (this) {
            case PENDING_NEW, NEW, PARTIALLY_FILLED, PENDING_CANCEL, PENDING_REPLACE -> true;
            default -> false;
        };
    }
}
