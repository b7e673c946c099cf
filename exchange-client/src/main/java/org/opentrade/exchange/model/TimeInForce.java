package org.opentrade.exchange.model;

/**
 * How long an order may live. GTC rests until filled or canceled; DAY expires at the end of the
 * trading day; IOC cancels whatever does not fill at once; FOK fills completely at once or expires.
 */
public enum TimeInForce {
    GTC, DAY, IOC, FOK;

    /** True when an unfilled remainder may rest in the book. */
    public boolean rests() {
        return this == GTC || this == DAY;
    }
}
