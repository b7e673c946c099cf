package org.opentrade.trade.domain.risk;

/**
 * How refusal messages write money and quantities: thousands separated by a space, money with two
 * decimals ({@code 123456} hundredths → {@code "1 234.56"}). Message text only; the wire format of
 * prices is elsewhere.
 */
final class Amounts {
    private Amounts() {
    }

    /** Hundredths as {@code "-1 234.56"}. */
    static String money(long hundredths) {
        boolean negative = hundredths < 0;
        // Long.MIN_VALUE has no positive counterpart: go through its unsigned magnitude.
        String digits = negative ? Long.toUnsignedString(-hundredths) : Long.toString(hundredths);
        if (digits.length() < 3) {
            digits = "0".repeat(3 - digits.length()) + digits;
        }
        String units = digits.substring(0, digits.length() - 2);
        return (negative ? "-" : "") + group(units) + "." + digits.substring(digits.length() - 2);
    }

    /** A whole number as {@code "1 000 000"}. */
    static String qty(long n) {
        return n < 0 ? "-" + group(Long.toUnsignedString(-n)) : group(Long.toString(n));
    }

    private static String group(String digits) {
        StringBuilder b = new StringBuilder(digits.length() + digits.length() / 3);
        int lead = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        b.append(digits, 0, lead);
        for (int i = lead; i < digits.length(); i += 3) {
            b.append(' ').append(digits, i, i + 3);
        }
        return b.toString();
    }
}
