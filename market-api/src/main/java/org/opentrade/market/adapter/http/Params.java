package org.opentrade.market.adapter.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.opentrade.market.domain.MarketError;

/** Query parameter parsing with the error each bad value gets. Stateless. */
final class Params {
    static final Pattern SYMBOL = Pattern.compile("[0-9A-Za-z]{1,12}\\.[A-Za-z]{1,4}");
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
                return java.time.OffsetDateTime.parse(raw).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(raw).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    // falls through
                }
            }
        }
        throw new BadParam(MarketError.BAD_RANGE, name + " must be an RFC 3339 time (2026-01-05T01:30:00Z) or epoch"
                + " milliseconds, got '" + clip(raw) + "'");
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
