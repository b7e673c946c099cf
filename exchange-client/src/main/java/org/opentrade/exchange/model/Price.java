package org.opentrade.exchange.model;

/**
 * Prices travel as whole hundredths (fen/cents) in a {@code long}; this class converts at the
 * edges. {@link #NONE} marks an absent price (market orders).
 */
public final class Price {
    /** Marker for "no price". */
    public static final long NONE = 0L;
    /** Marker returned by {@link #parse} for unreadable text. */
    public static final long INVALID = Long.MIN_VALUE;
    /** Largest accepted price in hundredths: 100 million units keeps every product far from overflow. */
    public static final long MAX = 10_000_000_000L;

    private Price() {
    }

    /**
     * Parses a plain decimal with at most two fraction digits ("12", "12.3", "12.34").
     * Returns {@link #INVALID} for anything else: signs, exponents, three decimals, overflow.
     */
    public static long parse(CharSequence s) {
        int n = s == null ? 0 : s.length();
        if (n == 0 || n > 20) {
            return INVALID;
        }
        long units = 0;
        int i = 0;
        int digits = 0;
        while (i < n && s.charAt(i) != '.') {
            char c = s.charAt(i++);
            if (c < '0' || c > '9') {
                return INVALID;
            }
            units = units * 10 + (c - '0');
            digits++;
        }
        long frac = 0;
        int fracDigits = 0;
        if (i < n) {
            i++; // '.'
            while (i < n) {
                char c = s.charAt(i++);
                if (c < '0' || c > '9' || fracDigits == 2) {
                    return INVALID;
                }
                frac = frac * 10 + (c - '0');
                fracDigits++;
            }
            if (fracDigits == 0) {
                return INVALID;
            }
        }
        if (digits == 0 || digits > 12) {
            return INVALID;
        }
        if (fracDigits == 1) {
            frac *= 10;
        }
        long value = units * 100 + frac;
        return value > MAX ? INVALID : value;
    }

    /** Formats hundredths as a decimal with two places; {@link #NONE} becomes the empty string. */
    public static String format(long hundredths) {
        if (hundredths == NONE) {
            return "";
        }
        StringBuilder sb = new StringBuilder(16);
        appendTo(sb, hundredths);
        return sb.toString();
    }

    /** Appends hundredths as "123.45" without allocating a String. */
    public static void appendTo(StringBuilder sb, long hundredths) {
        if (hundredths < 0) {
            sb.append('-');
            hundredths = -hundredths;
        }
        sb.append(hundredths / 100).append('.');
        long f = hundredths % 100;
        if (f < 10) {
            sb.append('0');
        }
        sb.append(f);
    }
}
