package org.opentrade.trade.domain.ledger;

/**
 * How the {@link org.opentrade.trade.domain.FeeSchedule} is applied to the fills of one order.
 */
public enum FeeBilling {
    /**
     * Fees are computed on the order's cumulative filled value, and each fill pays the increase:
     * {@code fee(filledValueAfter) − feesAlreadyBilled}. The minimum commission is charged once per
     * order, as A-share brokers bill it, and an order filled at once pays exactly
     * {@code FeeSchedule.fee(side, price, qty)}. With it a partial fill of a buy at or below its
     * reserve price never lowers buying power (the reservation covers every later fill).
     */
    PER_ORDER,
    /**
     * Each fill is billed on its own ({@code FeeSchedule.fee(side, price, qty)}), so every partial
     * fill pays the minimum commission; buying power can then dip by a minimum commission per extra
     * fill beyond what the order reserved.
     */
    PER_FILL
}
