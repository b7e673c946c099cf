package org.opentrade.market.domain;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.opentrade.exchange.model.Price;

/**
 * Parses a bar CSV for import (admin upload): a header line
 * {@code symbol,time,open,high,low,close,volume,turnover} then one bar per line. {@code time} is
 * the bar start as RFC 3339 ({@code 2026-01-05T01:30:00Z}, {@code 2026-01-05T09:30:00+08:00}) or
 * epoch milliseconds; prices are decimals with at most two places (&gt; 0), volume a whole number
 * ≥ 0, turnover a decimal with at most two places (money, stored in hundredths). Imported bars
 * have {@code trades} and {@code buyVolume} 0. Blank lines are skipped. A bar must start where its
 * interval's bars start, within the calendar's trading (a trading day's 1d bar; a 1m bar in a minute
 * of continuous matching or the opening auction's), and not after the current bar at {@code now}: a
 * bar in the future would sort after the live bar in K-lines (and a time past 2262 does not fit
 * InfluxDB's nanoseconds).
 *
 * <p>All or nothing: either every row is valid and all bars come back grouped by symbol (each
 * symbol's bars oldest first), or the result lists the errors as {@code line N: message} (the
 * header is line 1) and holds no bar. Pure function; a worker thread (parsing is O(rows)).
 */
public final class BarCsvImport {
    /** The required header. */
    public static final String HEADER = "symbol,time,open,high,low,close,volume,turnover";
    private static final int COLUMNS = 8;
    /** Turnover up to 10^17 hundredths: far above any real bar, far from overflow. */
    private static final int MAX_TURNOVER_DIGITS = 15;
    private static final int MAX_VOLUME_DIGITS = 15;

    /**
     * Limits of one import.
     *
     * @param maxRows       data rows accepted (more: one error, nothing imported)
     * @param maxLineLength characters per line, line break excluded
     * @param maxErrors     errors listed (the count of all errors is still given)
     */
    public record Options(int maxRows, int maxLineLength, int maxErrors) {
        public static final int DEFAULT_MAX_ROWS = 500_000;
        public static final int DEFAULT_MAX_LINE_LENGTH = 256;
        public static final int DEFAULT_MAX_ERRORS = 100;
        public static final Options DEFAULT = new Options(DEFAULT_MAX_ROWS, DEFAULT_MAX_LINE_LENGTH,
                DEFAULT_MAX_ERRORS);

        public Options {
            if (maxRows < 1 || maxLineLength < HEADER.length() || maxErrors < 1) {
                throw new IllegalArgumentException("import options need maxRows >= 1, maxLineLength >= "
                        + HEADER.length() + " and maxErrors >= 1");
            }
        }
    }

    /**
     * The outcome: {@link #ok()} with {@code bars}, or {@code errors} (the first
     * {@code maxErrors} of {@code errorCount}) and no bars.
     *
     * @param bars bars by symbol in first-seen symbol order, each list oldest first
     * @param rows data rows read
     */
    public record Result(Map<String, List<Bar>> bars, List<String> errors, int errorCount, int rows) {
        public boolean ok() {
            return errorCount == 0;
        }
    }

    private final Interval interval;
    private final MarketCalendar calendar;
    private final Predicate<String> knownSymbol;
    private final Options options;
    /** Start of the current bar of {@code interval}: a later bar is in the future. */
    private final long currentBar;

    /**
     * An importer of {@code interval} bars ({@link Interval#M1} or {@link Interval#D1}: what the store keeps).
     *
     * @param now the clock (epoch ms) the import runs at, read at the edge
     */
    public BarCsvImport(Interval interval, MarketCalendar calendar, Predicate<String> knownSymbol, Options options,
                        long now) {
        if (interval != Interval.M1 && interval != Interval.D1) {
            throw new IllegalArgumentException("only 1m and 1d bars are imported, not " + interval.code());
        }
        this.interval = interval;
        this.calendar = calendar;
        this.knownSymbol = knownSymbol;
        this.options = options;
        this.currentBar = calendar.barStart(interval, now);
    }

    public Result parse(String csv) {
        return parse(new StringReader(csv));
    }

    /** Reads {@code in} to its end (or to the row limit); does not close it. */
    public Result parse(Reader in) {
        Errors errors = new Errors(options.maxErrors());
        Map<String, List<Bar>> bars = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        LineReader lines = new LineReader(in, options.maxLineLength());
        int rows = 0;
        try {
            String header = lines.next();
            if (header == null) {
                errors.add(1, "empty file: the header " + HEADER + " is required");
            } else if (lines.tooLong()) {
                errors.add(1, "line longer than " + options.maxLineLength() + " characters");
            } else if (!HEADER.equals(stripBom(header).strip())) {
                errors.add(1, "the header must be " + HEADER);
            }
            String line;
            while ((line = lines.next()) != null) {
                int n = lines.number();
                if (lines.tooLong()) {
                    rows++;
                    errors.add(n, "line longer than " + options.maxLineLength() + " characters");
                } else if (!line.isBlank()) {
                    rows++;
                    if (rows > options.maxRows()) {
                        errors.add(n, "too many rows: at most " + options.maxRows());
                        break;
                    }
                    Bar b = row(line, n, errors);
                    if (b != null) {
                        String key = b.symbol() + '@' + b.time();
                        Integer seen = firstLine.putIfAbsent(key, n);
                        if (seen != null) {
                            errors.add(n, "duplicate bar of " + b.symbol() + " at " + Instant.ofEpochMilli(b.time())
                                    + " (first on line " + seen + ")");
                        } else if (errors.count == 0) {
                            bars.computeIfAbsent(b.symbol(), s -> new ArrayList<>()).add(b);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (errors.count > 0) {
            return new Result(Map.of(), List.copyOf(errors.list), errors.count, rows);
        }
        Map<String, List<Bar>> sorted = new LinkedHashMap<>();
        bars.forEach((s, list) -> {
            list.sort((a, b) -> Long.compare(a.time(), b.time()));
            sorted.put(s, List.copyOf(list));
        });
        return new Result(sorted, List.of(), 0, rows);
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    /** One data row as a bar, or null after recording its errors. */
    private Bar row(String line, int n, Errors errors) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS) {
            errors.add(n, "expected " + COLUMNS + " columns, got " + f.length);
            return null;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].strip();
        }
        int before = errors.count;
        String symbol = f[0];
        if (!knownSymbol.test(symbol)) {
            errors.add(n, "unknown symbol '" + symbol + "'");
        }
        long time = time(f[1], n, errors);
        long open = price("open", f[2], n, errors);
        long high = price("high", f[3], n, errors);
        long low = price("low", f[4], n, errors);
        long close = price("close", f[5], n, errors);
        long volume = whole(f[6], MAX_VOLUME_DIGITS);
        if (volume < 0) {
            errors.add(n, "volume must be a whole number >= 0, got '" + f[6] + "'");
        }
        long turnover = money(f[7]);
        if (turnover < 0) {
            errors.add(n, "turnover must be a decimal >= 0 with at most 2 places, got '" + f[7] + "'");
        }
        if (errors.count > before) {
            return null;
        }
        if (high < low) {
            errors.add(n, "high " + Price.format(high) + " is below low " + Price.format(low));
        } else if (open < low || open > high || close < low || close > high) {
            errors.add(n, "open and close must lie within [low, high]");
        } else if (!turnoverFits(volume, turnover, low, high)) {
            errors.add(n, "turnover " + Price.format(turnover) + " does not fit " + volume + " shares traded within ["
                    + Price.format(low) + ", " + Price.format(high) + "]: it must lie between volume × low and volume ×"
                    + " high (1.00 either way for rounding), and be 0 with no volume; a volume in lots of 100 (手) or a"
                    + " turnover in thousands does not");
        }
        if (calendar.barStart(interval, time) > currentBar) {
            errors.add(n, "time " + Instant.ofEpochMilli(time) + " is in the future: after the current "
                    + interval.code() + " bar (" + Instant.ofEpochMilli(currentBar) + ")");
        } else if (calendar.barStart(interval, time) != time) {
            errors.add(n, "time " + Instant.ofEpochMilli(time) + " is not the start of a " + interval.code() + " bar"
                    + " (expected " + Instant.ofEpochMilli(calendar.barStart(interval, time)) + ")");
        } else if (!calendar.hasTrading(interval, time)) {
            errors.add(n, "time " + Instant.ofEpochMilli(time) + " is outside trading: " + (interval == Interval.D1
                    ? "not a trading day" : "not a minute of continuous trading or the opening auction")
                    + " on the " + calendar.kind() + " calendar");
        }
        if (errors.count > before) {
            return null;
        }
        return new Bar(symbol, interval, time, open, high, low, close, volume, turnover, 0, 0);
    }

    /**
     * Whether {@code turnover} (hundredths) is what {@code volume} shares traded between {@code low} and
     * {@code high} can add up to, give or take 1.00 of rounding (a source that rounds to whole yuan). Exact for
     * any 15-digit volume and price: the products are compared as 128-bit values.
     */
    static boolean turnoverFits(long volume, long turnover, long low, long high) {
        if (volume == 0) {
            return turnover == 0;
        }
        BigInteger t = BigInteger.valueOf(turnover);
        return product(volume, low).compareTo(t.add(ROUNDING)) <= 0
                && product(volume, high).compareTo(t.subtract(ROUNDING)) >= 0;
    }

    /** Rounding a turnover may carry, in hundredths. */
    private static final BigInteger ROUNDING = BigInteger.valueOf(100);

    private static BigInteger product(long a, long b) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
    }

    private static long time(String s, int n, Errors errors) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long ms = whole(s, 15);
            if (ms >= 0) {
                return ms;
            }
        } else {
            try {
                java.time.Instant t = java.time.OffsetDateTime.parse(s).toInstant();
                // Years 1970 to 9999 (as the digits): +999999999-… parses, and its milliseconds overflow a long.
                if (!t.isBefore(java.time.Instant.EPOCH) && t.getEpochSecond() < 253_402_300_800L) {
                    return t.toEpochMilli();
                }
            } catch (DateTimeException e) {
                // reported below
            }
        }
        errors.add(n, "time must be RFC 3339 or epoch milliseconds, got '" + s + "'");
        return 0;
    }

    private static long price(String name, String s, int n, Errors errors) {
        long p = Price.parse(s);
        if (p == Price.INVALID || p <= 0) {
            errors.add(n, name + " must be a positive decimal with at most 2 places, got '" + s + "'");
            return 0;
        }
        return p;
    }

    /** A whole number of at most {@code maxDigits} digits, or -1. */
    private static long whole(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A decimal with at most 2 places in hundredths, or -1. */
    private static long money(String s) {
        int dot = s.indexOf('.');
        String units = dot < 0 ? s : s.substring(0, dot);
        String frac = dot < 0 ? "" : s.substring(dot + 1);
        if ((dot >= 0 && frac.isEmpty()) || frac.length() > 2) {
            return -1;
        }
        long u = whole(units, MAX_TURNOVER_DIGITS);
        long f = frac.isEmpty() ? 0 : whole(frac, 2);
        if (u < 0 || f < 0) {
            return -1;
        }
        return u * 100 + (frac.length() == 1 ? f * 10 : f);
    }

    /** The first {@code max} errors and the count of all. */
    private static final class Errors {
        private final int max;
        private final List<String> list = new ArrayList<>();
        private int count;

        Errors(int max) {
            this.max = max;
        }

        void add(int line, String message) {
            count++;
            if (list.size() < max) {
                list.add("line " + line + ": " + message);
            }
        }
    }

    /**
     * Lines of at most {@code max} characters without buffering more: a longer line is consumed
     * to its end and flagged, so one huge line cannot exhaust memory.
     */
    private static final class LineReader {
        private final Reader in;
        private final int max;
        private final StringBuilder sb = new StringBuilder();
        private int number;
        private boolean tooLong;
        private boolean eof;
        private int pending = -2;

        LineReader(Reader in, int max) {
            this.in = in;
            this.max = max;
        }

        /** The next line without its terminator (\n, \r\n or \r), or null at the end. */
        String next() throws IOException {
            if (eof) {
                return null;
            }
            sb.setLength(0);
            tooLong = false;
            int c = pending != -2 ? pending : in.read();
            pending = -2;
            if (c == -1) {
                eof = true;
                return null;
            }
            number++;
            while (c != -1 && c != '\n' && c != '\r') {
                if (sb.length() < max) {
                    sb.append((char) c);
                } else {
                    tooLong = true;
                }
                c = in.read();
            }
            if (c == '\r') {
                int d = in.read();
                if (d != '\n') {
                    pending = d;
                }
            }
            if (c == -1) {
                eof = true;
            }
            return sb.toString();
        }

        int number() {
            return number;
        }

        boolean tooLong() {
            return tooLong;
        }
    }
}
