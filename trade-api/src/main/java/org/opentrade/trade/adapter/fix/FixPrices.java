package org.opentrade.trade.adapter.fix;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * FIX decimals to trade-api's longs and back, exactly (BigDecimal, never double): prices in
 * hundredths, quantities in whole shares. The rules are REST's ({@code OrderBodies}): a price is
 * positive with at most 2 decimals and at most 10 000 000.00; a quantity a whole number from 1 to
 * 1 000 000 000 (FIX had 100 000 000 until 2026-12-05). A value that breaks them is an
 * {@link IllegalArgumentException} whose message is REST's -1002 text. Pure; any thread.
 */
final class FixPrices {
    private static final BigDecimal MAX_PRICE = new BigDecimal("10000000.00");
    private static final long MAX_QTY = 1_000_000_000L;
    /** FIX "float" syntax: optional sign, digits, optional fraction; no exponent. */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,18}(\\.[0-9]{0,18})?|-?\\.[0-9]{1,18}");

    private FixPrices() {
    }

    /** A FIX price ("10.01", "10.010", "10") in hundredths. */
    static long hundredths(String raw, String field) {
        BigDecimal d = parse(raw);
        if (d == null || d.signum() <= 0 || d.stripTrailingZeros().scale() > 2 || d.compareTo(MAX_PRICE) > 0) {
            throw new IllegalArgumentException(field + " must be a positive decimal with at most 2 places, such as 10.01");
        }
        return d.movePointRight(2).longValueExact();
    }

    /** A FIX quantity ("300", "300.0") in shares. */
    static long shares(String raw, String field) {
        BigDecimal d = parse(raw);
        if (d == null || d.signum() <= 0 || d.stripTrailingZeros().scale() > 0 || d.compareTo(BigDecimal.valueOf(MAX_QTY)) > 0) {
            throw new IllegalArgumentException(field + " must be a whole number from 1 to " + MAX_QTY);
        }
        return d.longValueExact();
    }

    /** Hundredths as a FIX price with two decimals ("10.01"). */
    static String decimal(long hundredths) {
        return BigDecimal.valueOf(hundredths, 2).toPlainString();
    }

    private static BigDecimal parse(String raw) {
        return raw == null || !DECIMAL.matcher(raw).matches() ? null : new BigDecimal(raw);
    }
}
