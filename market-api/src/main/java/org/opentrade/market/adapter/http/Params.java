package org.opentrade.market.adapter.http;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.MarketError;

/** Query parameter parsing with the error each bad value gets. Stateless. */
final class Params {
    static final Pattern SYMBOL = Instrument.SYMBOL;
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,19}");

    /** A bad parameter: the error and a message that names it. */
    static final class BadParam extends RuntimeException {
        final MarketError error;

        BadParam(MarketError error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    private Params() {
    }

    static int limit(String raw, int dflt, int max) {
        if (raw == null) {
            return dflt;
        }
        if (!DIGITS.matcher(raw).matches()) {
            throw new BadParam(MarketError.BAD_LIMIT, "limit must be a whole number from 1 to " + max);
        }
        long v;
        try {
            v = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1 || v > max) {
            throw new BadParam(MarketError.BAD_LIMIT, "limit must be a whole number from 1 to " + max + ", got " + clip(raw));
        }
        return (int) v;
    }

    /**
     * The distinct codes of a comma-separated {@code symbols} value, stripped of surrounding spaces, in the
     * order first listed (a code listed twice counts once). One pass over at most {@code maxChars} characters,
     * keeping at most {@code max + 1} codes however many are listed. Too many distinct codes wins over an
     * empty item, wherever each comes.
     *
     * @throws BadParam -1002 when missing or blank, longer than {@code maxChars}, or with an empty item;
     *                  -6006 with more than {@code max} distinct codes
     */
    static Set<String> symbols(String raw, int max, int maxChars) {
        if (raw == null || raw.isBlank()) {
            throw new BadParam(MarketError.INVALID_PARAMETER, "symbols is required: a comma-separated list such as"
                    + " 600000.SH,000001.SZ (at most " + max + " distinct)");
        }
        if (raw.length() > maxChars) {
            throw new BadParam(MarketError.INVALID_PARAMETER, "symbols must be at most " + maxChars + " characters long");
        }
        Set<String> distinct = new LinkedHashSet<>();
        boolean emptyItem = false;
        int from = 0;
        while (from <= raw.length()) {
            int comma = raw.indexOf(',', from);
            int to = comma < 0 ? raw.length() : comma;
            String code = raw.substring(from, to).strip();
            if (code.isEmpty()) {
                emptyItem = true;
            } else if (distinct.add(code) && distinct.size() > max) {
                throw new BadParam(MarketError.TOO_MANY_SYMBOLS, "at most " + max + " distinct symbols per request");
            }
            from = to + 1;
        }
        if (emptyItem) {
            throw new BadParam(MarketError.INVALID_PARAMETER, "symbols has an empty item; give codes separated"
                    + " by single commas, such as 600000.SH,000001.SZ");
        }
        return distinct;
    }

    /** A time as RFC 3339 ({@code 2026-01-05T01:30:00Z}, offsets allowed) or epoch milliseconds. */
    static long time(String name, String raw, long dflt) {
        if (raw == null || raw.isEmpty()) {
            return dflt;
        }
        if (DIGITS.matcher(raw).matches()) {
            try {
                long v = Long.parseLong(raw);
                if (v >= 0 && v < 32_503_680_000_000L) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        } else if (raw.length() <= 40) {
            try {
                return org.opentrade.common.json.IsoTimes.parse(raw); // years 1970 to 9999, like the digits
            } catch (java.time.DateTimeException e) {
                // falls through
            }
        }
        throw new BadParam(MarketError.BAD_RANGE, name + " must be an RFC 3339 time (2026-01-05T01:30:00Z) or epoch"
                + " milliseconds, got '" + clip(raw) + "'");
    }

    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    /** A local date {@code YYYY-MM-DD} (years 1970 to 9999), or {@code dflt} when absent. */
    /**
     * Calendar dates: from the first whose sessions all fall after the epoch (a 24×7 day starts the afternoon before)
     * to the last that RFC 3339 can write.
     */
    static final java.time.LocalDate FIRST_DATE = java.time.LocalDate.of(1970, 1, 2);
    static final java.time.LocalDate LAST_DATE = java.time.LocalDate.of(9999, 12, 31);

    static java.time.LocalDate date(String name, String raw, java.time.LocalDate dflt) {
        if (raw == null || raw.isEmpty()) {
            return dflt;
        }
        if (DATE.matcher(raw).matches()) {
            try {
                java.time.LocalDate d = java.time.LocalDate.parse(raw);
                if (!d.isBefore(FIRST_DATE)) {
                    return d;
                }
            } catch (java.time.DateTimeException e) {
                // falls through
            }
        }
        throw new BadParam(MarketError.BAD_RANGE, name + " must be a date like 2026-01-05 (the exchange's local date),"
                + " from " + FIRST_DATE + " to " + LAST_DATE + ", got '" + clip(raw) + "'");
    }

    static long cursor(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (!DIGITS.matcher(raw).matches()) {
            throw new BadParam(MarketError.BAD_CURSOR, "cursor must be a next_cursor value from a previous page");
        }
        try {
            long v = Long.parseLong(raw);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadParam(MarketError.BAD_CURSOR, "cursor must be a next_cursor value from a previous page");
    }

    /** The value as it may appear in a message: bounded, printable. */
    static String clip(String raw) {
        String s = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return s.replaceAll("[\\p{Cntrl}'\"\\\\]", "?");
    }
}
