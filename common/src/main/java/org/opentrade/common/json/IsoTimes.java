package org.opentrade.common.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Epoch milliseconds as the time shape of docs/contracts.md, RFC 3339 UTC with milliseconds
 * ({@code 2026-12-02T09:45:00.123Z}): exactly the text {@link #FORMATTER} writes, by hand for the years
 * 0001–9999 and by the formatter outside them (year 0 and before are years of era in its pattern, and
 * years past 9999 get a sign). Why by hand: the formatter cost a few percent of trade-api's CPU per order
 * and most of a 1 000-bar K-line page's encoding. Stateless; any thread.
 */
public final class IsoTimes {
    /** The reference: what every time text equals. */
    public static final DateTimeFormatter FORMATTER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static final long MS_PER_DAY = 86_400_000L;
    /** Days since the epoch of 0001-01-01 and of 10000-01-01: the hand-written range. */
    static final long FAST_FROM_DAY = -719_162;
    static final long FAST_TO_DAY = 2_932_897;

    private IsoTimes() {
    }

    /** The text of {@code epochMs}; one 24-byte array and a Latin-1 string inside the hand-written range. */
    public static String format(long epochMs) {
        long days = Math.floorDiv(epochMs, MS_PER_DAY);
        byte[] b = new byte[24];
        if (!writeDate(days, b, 0)) {
            return FORMATTER.format(Instant.ofEpochMilli(epochMs));
        }
        writeTimeOfDay((int) Math.floorMod(epochMs, MS_PER_DAY), b, 11);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code yyyy-MM-ddT} (11 bytes) of {@code days} since 1970-01-01 into {@code out} at {@code at}; false,
     * writing nothing, outside the years 0001–9999 (the caller then uses {@link #format}).
     */
    static boolean writeDate(long days, byte[] out, int at) {
        if (days < FAST_FROM_DAY || days >= FAST_TO_DAY) {
            return false;
        }
        // Civil date from days since 1970-01-01 (H. Hinnant's civil_from_days; proleptic Gregorian).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        pair(year / 100, out, at);
        pair(year % 100, out, at + 2);
        out[at + 4] = '-';
        pair(month, out, at + 5);
        out[at + 7] = '-';
        pair(day, out, at + 8);
        out[at + 10] = 'T';
        return true;
    }

    /** {@code HH:mm:ss.SSSZ} (13 bytes) of {@code 0 <= msOfDay < 86 400 000} into {@code out} at {@code at}. */
    static void writeTimeOfDay(int msOfDay, byte[] out, int at) {
        pair(msOfDay / 3_600_000, out, at);
        out[at + 2] = ':';
        pair(msOfDay / 60_000 % 60, out, at + 3);
        out[at + 5] = ':';
        pair(msOfDay / 1_000 % 60, out, at + 6);
        out[at + 8] = '.';
        int ms = msOfDay % 1_000;
        out[at + 9] = (byte) ('0' + ms / 100);
        pair(ms % 100, out, at + 10);
        out[at + 12] = 'Z';
    }

    /** 10000-01-01T00:00:00Z: the first instant past what {@link #parse} takes. */
    public static final long YEAR_10000_MS = 253_402_300_800_000L;

    /**
     * Epoch milliseconds of an RFC 3339 time from a client ({@code 2026-01-05T01:30:00Z}, {@code
     * 2026-01-05T09:30:00.5+08:00}), from 1970-01-01 to the end of 9999: every time the API can write back.
     * {@link java.time.OffsetDateTime} itself takes years up to ±999 999 999, whose milliseconds overflow a
     * long (an {@link ArithmeticException}, not a parse error, which became a 500 where a caller forgot it).
     *
     * @throws java.time.DateTimeException not RFC 3339, or outside those years
     */
    public static long parse(CharSequence text) {
        java.time.Instant t = java.time.OffsetDateTime.parse(text).toInstant(); // DateTimeParseException
        if (t.isBefore(Instant.EPOCH) || t.getEpochSecond() >= YEAR_10000_MS / 1_000) {
            throw new java.time.DateTimeException("outside the years 1970 to 9999: " + text);
        }
        return t.toEpochMilli();
    }

    private static void pair(int v, byte[] out, int at) {
        out[at] = (byte) ('0' + v / 10);
        out[at + 1] = (byte) ('0' + v % 10);
    }
}
