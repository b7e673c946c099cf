package org.opentrade.market.adapter.json;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import org.opentrade.exchange.model.Price;

/**
 * A JSON text written straight into a growing byte array, for the large bodies the hot endpoints send
 * (a K-line page is 1 000 bars, ~150 KB): building a {@code JsonObject} per bar and encoding it with
 * Jackson, with a {@code DateTimeFormatter} per time, cost ~3 ms of CPU per page; this writes the same
 * text in a small fraction of that. The caller writes the structure (braces, commas, names); this class
 * writes values in the resource shapes of DESIGN.md §3 (prices and money as decimal strings, times as
 * RFC 3339 UTC with milliseconds). One instance per body; not thread-safe.
 */
public final class JsonBytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** "00" to "99", two bytes each. */
    private static final byte[] TENS_UNITS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            TENS_UNITS[2 * i] = (byte) ('0' + i / 10);
            TENS_UNITS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private byte[] bytes;
    private int size;
    /** The day {@link #cachedDate} spells: consecutive bars share their date. */
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] cachedDate = new byte[11];

    public JsonBytes(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Text with no character that JSON escapes and no non-ASCII (names, punctuation): copied as is. */
    public JsonBytes raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    public JsonBytes raw(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /** Bytes already JSON (a part encoded earlier), copied as they are. */
    public JsonBytes raw(byte[] json) {
        ensure(json.length);
        System.arraycopy(json, 0, bytes, size, json.length);
        size += json.length;
        return this;
    }

    /** The text written so far, as a new array. */
    public byte[] toBytes() {
        return Arrays.copyOf(bytes, size);
    }

    /** A JSON string (quoted, escaped, UTF-8), or {@code null}. */
    public JsonBytes string(String s) {
        if (s == null) {
            return raw("null");
        }
        raw('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                raw('\\').raw(c);
            } else if (c < 0x20) {
                ensure(6);
                bytes[size++] = '\\';
                bytes[size++] = 'u';
                bytes[size++] = '0';
                bytes[size++] = '0';
                bytes[size++] = HEX[c >> 4];
                bytes[size++] = HEX[c & 0xF];
            } else if (c < 0x80) {
                raw(c);
            } else {
                int end = i + 1;
                while (end < n && s.charAt(end) >= 0x80) {
                    end++;
                }
                byte[] utf8 = s.substring(i, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, bytes, size, utf8.length);
                size += utf8.length;
                i = end - 1;
            }
        }
        return raw('"');
    }

    public JsonBytes number(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return raw(Long.toString(v));
            }
            bytes[size++] = '-';
            v = -v;
        }
        digits(v, 1);
        return this;
    }

    /** Hundredths as a quoted decimal with two places ({@link MarketJson#decimal}). */
    public JsonBytes decimal(long hundredths) {
        ensure(24);
        bytes[size++] = '"';
        if (hundredths < 0) {
            if (hundredths == Long.MIN_VALUE) {
                size--;
                return string(MarketJson.decimal(hundredths));
            }
            bytes[size++] = '-';
            hundredths = -hundredths;
        }
        digits(hundredths / 100, 1);
        bytes[size++] = '.';
        digits(hundredths % 100, 2);
        bytes[size++] = '"';
        return this;
    }

    /** A price ({@link MarketJson#price}): {@link Price#NONE} as {@code null}. */
    public JsonBytes price(long hundredths) {
        return hundredths == Price.NONE ? raw("null") : decimal(hundredths);
    }

    /** Epoch milliseconds as a quoted RFC 3339 UTC time with milliseconds ({@link MarketJson#time}). */
    public JsonBytes time(long epochMs) {
        long days = Math.floorDiv(epochMs, 86_400_000L);
        int msOfDay = (int) Math.floorMod(epochMs, 86_400_000L);
        if (days != cachedDay) {
            if (!cacheDate(days)) {
                return string(MarketJson.time(epochMs));
            }
        }
        ensure(26);
        bytes[size++] = '"';
        System.arraycopy(cachedDate, 0, bytes, size, 11);
        size += 11;
        pair(msOfDay / 3_600_000);
        bytes[size++] = ':';
        pair(msOfDay / 60_000 % 60);
        bytes[size++] = ':';
        pair(msOfDay / 1_000 % 60);
        bytes[size++] = '.';
        int ms = msOfDay % 1_000;
        bytes[size++] = (byte) ('0' + ms / 100);
        pair(ms % 100);
        bytes[size++] = 'Z';
        bytes[size++] = '"';
        return this;
    }

    /** "yyyy-MM-ddT" of {@code days} since the epoch into the cache; false outside years 0–9999. */
    private boolean cacheDate(long days) {
        // Civil date from days since 1970-01-01 (H. Hinnant's civil_from_days; proleptic Gregorian).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return false;
        }
        int y = (int) year;
        byte[] d = cachedDate;
        d[0] = (byte) ('0' + y / 1000);
        d[1] = (byte) ('0' + y / 100 % 10);
        d[2] = (byte) ('0' + y / 10 % 10);
        d[3] = (byte) ('0' + y % 10);
        d[4] = '-';
        d[5] = (byte) ('0' + month / 10);
        d[6] = (byte) ('0' + month % 10);
        d[7] = '-';
        d[8] = (byte) ('0' + day / 10);
        d[9] = (byte) ('0' + day % 10);
        d[10] = 'T';
        cachedDay = days;
        return true;
    }

    /** Empties the writer for the next body, keeping its array (a per-thread scratch writer). */
    public JsonBytes reset() {
        size = 0;
        return this;
    }

    /**
     * The text written so far copied into a pooled direct buffer (one memcpy, no heap garbage); the
     * caller releases it once written (e.g. when the response's write completes).
     */
    public io.netty.buffer.ByteBuf toPooledDirect() {
        io.netty.buffer.ByteBuf b = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, size));
        b.writeBytes(bytes, 0, size);
        return b;
    }

    public int size() {
        return size;
    }

    /**
     * The text written so far, as a buffer over this writer's array (no copy: {@code Buffer.buffer(byte[])}
     * would copy it, and a 1 000-bar page is ~155 KB of garbage per copy at hundreds of requests a second).
     * Write nothing more after this.
     */
    public Buffer toBuffer() {
        return io.vertx.core.internal.buffer.BufferInternal.buffer(io.netty.buffer.Unpooled.wrappedBuffer(bytes, 0, size));
    }

    /** A non-negative value in at least {@code width} digits, zero-padded. */
    private void digits(long v, int width) {
        int n = 1;
        if (v < Integer.MAX_VALUE) {
            for (int t = (int) v; t >= 10; t /= 10) {
                n++;
            }
        } else {
            for (long t = v; t >= 10; t /= 10) {
                n++;
            }
        }
        n = Math.max(n, width);
        int i = size + n - 1;
        while (v >= Integer.MAX_VALUE) { // long division only for the high digits of huge values
            bytes[i--] = (byte) ('0' + v % 10);
            v /= 10;
        }
        int iv = (int) v;
        while (i >= size + 1) {
            int two = iv % 100;
            bytes[i] = TENS_UNITS[2 * two + 1];
            bytes[i - 1] = TENS_UNITS[2 * two];
            iv /= 100;
            i -= 2;
        }
        if (i == size) {
            bytes[i] = (byte) ('0' + iv % 10);
        }
        size += n;
    }

    /** Two digits of {@code 0 <= v < 100}. */
    private void pair(int v) {
        bytes[size++] = TENS_UNITS[2 * v];
        bytes[size++] = TENS_UNITS[2 * v + 1];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
