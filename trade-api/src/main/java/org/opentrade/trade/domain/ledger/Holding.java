package org.opentrade.trade.domain.ledger;

import java.math.BigInteger;
import org.opentrade.exchange.model.Side;

/**
 * One symbol held by one account: signed quantity and its exact cost basis (hundredths, fees
 * excluded), plus what T+1 needs (shares bought on the last buying day). Mutable; owned by its
 * {@link AccountBook}; ledger thread only.
 *
 * <p>Average-cost accounting on a total, not a per-share price, so the books balance to the cent:
 * shares that close part of the position take {@code basis × closed / |qty|} (truncated; closing all
 * takes the whole remainder) and realize {@code proceeds − basisTaken}; shares that open or extend it
 * add {@code price × qty}. A sell beyond the position (risk should refuse it) opens a short the same
 * way, and a later buy closes it; nothing breaks and the identity still holds.
 */
final class Holding {
    final String symbol;
    long qty;
    long basis;
    /** Trading day of the last buy that added long shares (null = never, or T+1 off). */
    String buyDay;
    /** Long shares added on {@link #buyDay}: not sellable that day under T+1. */
    long boughtOnBuyDay;

    Holding(String symbol) {
        this.symbol = symbol;
    }

    /**
     * Books a trade of {@code q} shares at {@code price}; returns the realized P&L (before fees).
     * {@code day} is the trade's trading day when T+1 is tracked, else null.
     */
    long trade(Side side, long price, long q, String day) {
        long dq = side == Side.BUY ? q : -q;
        long longBefore = Math.max(0, qty);
        long realized = 0;
        if (qty != 0 && Long.signum(dq) != Long.signum(qty)) {
            long closed = Math.min(Math.abs(dq), Math.abs(qty));
            long taken = closed == Math.abs(qty) ? basis : mulDiv(basis, closed, Math.abs(qty));
            long signedClosed = Long.signum(dq) * closed;
            // Buying back spends price × closed; selling receives it.
            realized = Math.subtractExact(Math.negateExact(Math.multiplyExact(signedClosed, price)), taken);
            basis -= taken;
            qty += signedClosed;
            dq -= signedClosed;
        }
        basis = Math.addExact(basis, Math.multiplyExact(dq, price));
        qty += dq;
        long added = Math.max(0, qty) - longBefore;
        if (day != null && added > 0) {
            if (day.equals(buyDay)) {
                boughtOnBuyDay += added;
            } else {
                buyDay = day;
                boughtOnBuyDay = added;
            }
        }
        return realized;
    }

    /** Shares a sell may take at {@code today} (null: no T+1), before open sell orders are deducted. */
    long sellableShares(String today) {
        if (qty <= 0) {
            return 0;
        }
        if (today != null && today.equals(buyDay)) {
            return Math.max(0, qty - boughtOnBuyDay);
        }
        return qty;
    }

    /** basis / qty rounded half away from zero; 0 when flat. */
    long avgCost() {
        return qty == 0 ? 0 : roundedDiv(basis, qty);
    }

    static long roundedDiv(long a, long b) {
        if (b < 0) {
            a = -a;
            b = -b;
        }
        long q = a / b;
        long r = Math.abs(a % b);
        if (r >= b - r) {
            q += Long.signum(a);
        }
        return q;
    }

    /**
     * a × b / c truncated toward zero ({@code c > 0}), without overflow in the product: long
     * arithmetic when the 128-bit product fits in a long (checked with {@link Math#multiplyHigh}),
     * {@link BigInteger} only beyond that.
     */
    static long mulDiv(long a, long b, long c) {
        long low = a * b;
        long high = Math.multiplyHigh(a, b);
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return low / c;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c)).longValueExact();
    }
}
