package org.opentrade.exchange.domain;

import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Recycles {@link Order} objects so the engine's steady state allocates nothing (no garbage, no
 * collector pauses in the matching thread). Orders that finish while a command is processed are
 * queued with {@link #retire} and returned to the free list by {@link #releaseRetired} once the
 * command and all its listener callbacks are over, so no callback ever sees a recycled object.
 * Single-threaded (engine thread).
 */
final class OrderPool {
    /** Free objects kept at most; beyond that finished orders are left to the garbage collector. */
    static final int DEFAULT_CAPACITY = 1 << 13;

    private Order[] free;
    private int freeCount;
    private Order[] retired = new Order[64];
    private int retiredCount;

    OrderPool(int capacity) {
        this.free = new Order[capacity];
    }

    Order take(long id, String account, String symbol, Side side, OrderType type, TimeInForce tif, long price,
               long stopPrice, long qty, long seq, long enteredAt, String traceParent) {
        if (freeCount == 0) {
            return new Order(id, account, symbol, side, type, tif, price, stopPrice, qty, seq, enteredAt, traceParent);
        }
        Order o = free[--freeCount];
        free[freeCount] = null;
        o.init(id, account, symbol, side, type, tif, price, stopPrice, qty, seq, enteredAt, traceParent);
        return o;
    }

    /** Marks a finished order for reuse after the current command; idempotent. */
    void retire(Order o) {
        if (o.pooled) {
            return;
        }
        o.pooled = true;
        if (retiredCount == retired.length) {
            retired = java.util.Arrays.copyOf(retired, retiredCount * 2);
        }
        retired[retiredCount++] = o;
    }

    /** Called between commands: hands every order retired during the command back to the free list. */
    void releaseRetired() {
        for (int i = 0; i < retiredCount; i++) {
            Order o = retired[i];
            retired[i] = null;
            o.account = null;
            o.symbol = null;
            o.traceParent = null;
            if (freeCount < free.length) {
                free[freeCount++] = o;
            }
        }
        retiredCount = 0;
    }

    /** Stops recycling: every order is a new object (tests compare a recycling engine against this). */
    void disable() {
        free = new Order[0];
        freeCount = 0;
    }

    int freeCount() {
        return freeCount;
    }
}
