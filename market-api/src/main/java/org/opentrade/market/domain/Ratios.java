package org.opentrade.market.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Integer ratios rounded half away from zero, exact for every {@code long} input (no double). */
final class Ratios {
    private Ratios() {
    }

    /**
     * {@code a × b / d} rounded half away from zero; 0 when {@code d} is 0. Uses long arithmetic
     * when the product fits (the common case), BigInteger otherwise.
     */
    static long mulDiv(long a, long b, long d) {
        if (d == 0) {
            return 0;
        }
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return divRound(lo, d);
        }
        return new BigDecimal(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)))
                .divide(BigDecimal.valueOf(d), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code n / d} rounded half away from zero; 0 when {@code d} is 0. */
    static long divRound(long n, long d) {
        if (d == 0) {
            return 0;
        }
        long q = n / d;
        long r = n % d;
        // |2r| >= |d| means the remainder is at least half: step away from zero.
        if (Math.abs(r) >= Math.abs(d) - Math.abs(r) && r != 0) {
            q += ((n < 0) == (d < 0)) ? 1 : -1;
        }
        return q;
    }
}
