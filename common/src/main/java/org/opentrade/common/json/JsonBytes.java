package org.opentrade.common.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * UTF-8 JSON written straight into a growing byte array, for the bodies and frames on the services' hot
 * paths. Every value it writes is byte for byte what Vert.x's Jackson codec ({@link JsonObject#toBuffer()})
 * writes for it: strings with Jackson's escapes, integral numbers, booleans, null, nested
 * {@link JsonObject}s / {@link JsonArray}s; a value without an exact fast form (a double, a BigDecimal, an
 * Instant …) throws {@link Unsupported} from {@link #value}, and {@link #toBuffer(JsonObject)} then hands
 * the object to Jackson. On top of that the resource shapes of docs/contracts.md: decimals with two places as
 * strings ({@link #decimal}, {@link #price}) and RFC 3339 times ({@link #time}, see {@link IsoTimes}).
 *
 * <p>Why: through Jackson each value costs a serializer lookup and each object a generator set-up, and a
 * {@code DateTimeFormatter} per time; that was ~3 ms of CPU per 1 000-bar K-line page (~150 KB) in
 * market-api and about a tenth of trade-api's CPU per order. The caller writes the structure (braces,
 * commas, names) with {@link #raw} and {@link #name}.
 *
 * <p>Not thread-safe: one instance per body, or one per thread reused with {@link #reset}. A large
 * hot-path class on purpose: the escapes, digits and date cache are here so a body is one pass.
 */
public final class JsonBytes {
    /** Upper case, as Jackson writes {@code \}{@code u} escapes. */
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** "00" to "99", two bytes each. */
    private static final byte[] TENS_UNITS = new byte[200];
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    static {
        for (int i = 0; i < 100; i++) {
            TENS_UNITS[2 * i] = (byte) ('0' + i / 10);
            TENS_UNITS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Thrown (without a stack) when a value has no exact fast form; the caller falls back to Jackson. */
    public static final class Unsupported extends RuntimeException {
        static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super("value without a fast JSON form", null, false, false);
        }
    }

    private byte[] bytes;
    private int size;
    /** The day {@link #cachedDate} spells: consecutive bars and orders share their date. */
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] cachedDate = new byte[11];

    public JsonBytes(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** {@code o} encoded exactly as {@code o.toBuffer()} would; by Jackson when a value has no fast form. */
    public static Buffer toBuffer(JsonObject o) {
        try {
            return new JsonBytes(512).value(o).toBuffer();
        } catch (Unsupported u) {
            return o.toBuffer();
        }
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

    /** One ASCII character that JSON does not escape. */
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

    /** {@code "name":} (the name written as a JSON string). */
    public JsonBytes name(String name) {
        string(name);
        return raw(':');
    }

    /** A JSON value; throws {@link Unsupported} for a type without an exact fast form. */
    public JsonBytes value(Object v) {
        if (v == null) {
            put(NULL);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            number(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            put(b ? TRUE : FALSE);
        } else if (v instanceof JsonObject o) {
            object(o.getMap());
        } else if (v instanceof JsonArray a) {
            array(a.getList());
        } else {
            throw Unsupported.INSTANCE;
        }
        return this;
    }

    private void object(Map<String, Object> m) {
        raw('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!first) {
                raw(',');
            }
            first = false;
            name(e.getKey());
            value(e.getValue());
        }
        raw('}');
    }

    private void array(List<?> l) {
        raw('[');
        for (int i = 0, n = l.size(); i < n; i++) {
            if (i > 0) {
                raw(',');
            }
            value(l.get(i));
        }
        raw(']');
    }

    /**
     * A JSON string (quoted, UTF-8), or {@code null}, as Jackson writes it: {@code \" \\ \b \t \n \f \r},
     * other control characters as upper-case hex escapes ({@code \}{@code u001F}), non-ASCII as UTF-8
     * except surrogates (a character outside the BMP is a pair), which Jackson writes as two upper-case hex
     * escapes ({@code \}{@code uD83D}{@code \}{@code uDE00}).
     */
    public JsonBytes string(String s) {
        if (s == null) {
            put(NULL);
            return this;
        }
        int n = s.length();
        ensure(n + 2);
        bytes[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                bytes[size++] = (byte) c;
            } else {
                ensure(6 + n - i); // room for this character's longest form and the rest as ASCII
                special(c);
            }
        }
        bytes[size++] = '"';
        return this;
    }

    private void special(char c) {
        if (c >= 0x80) {
            if (c < 0x800) {
                bytes[size++] = (byte) (0xC0 | c >> 6);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                bytes[size++] = (byte) (0xE0 | c >> 12);
                bytes[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            }
            return;
        }
        switch (c) {
            case '"' -> shortEscape('"');
            case '\\' -> shortEscape('\\');
            case '\b' -> shortEscape('b');
            case '\t' -> shortEscape('t');
            case '\n' -> shortEscape('n');
            case '\f' -> shortEscape('f');
            case '\r' -> shortEscape('r');
            default -> unicodeEscape(c);
        }
    }

    private void shortEscape(char c) {
        bytes[size++] = '\\';
        bytes[size++] = (byte) c;
    }

    private void unicodeEscape(char c) {
        bytes[size++] = '\\';
        bytes[size++] = 'u';
        bytes[size++] = HEX[c >> 12];
        bytes[size++] = HEX[c >> 8 & 0xF];
        bytes[size++] = HEX[c >> 4 & 0xF];
        bytes[size++] = HEX[c & 0xF];
    }

    public JsonBytes number(long v) {
        ensure(20);
        if (v < 0) {
            bytes[size++] = '-';
            if (v == Long.MIN_VALUE) { // no positive counterpart: its last digit apart
                digits(-(v / 10), 1);
                bytes[size++] = '8';
                return this;
            }
            v = -v;
        }
        digits(v, 1);
        return this;
    }

    /** Hundredths as a quoted decimal with two places: 1234 → {@code "12.34"}, 0 → {@code "0.00"}, -5 → {@code "-0.05"}. */
    public JsonBytes decimal(long hundredths) {
        ensure(24);
        bytes[size++] = '"';
        if (hundredths < 0) {
            bytes[size++] = '-';
        }
        // the magnitude, unsigned: Long.MIN_VALUE's is 2^63
        long magnitude = hundredths < 0 ? -hundredths : hundredths;
        digits(Long.divideUnsigned(magnitude, 100), 1);
        bytes[size++] = '.';
        digits(Long.remainderUnsigned(magnitude, 100), 2);
        bytes[size++] = '"';
        return this;
    }

    /** A price in hundredths as {@link #decimal}, and 0 (the exchange model's {@code Price.NONE}, no price) as null. */
    public JsonBytes price(long hundredths) {
        return hundredths == 0 ? raw("null") : decimal(hundredths);
    }

    /**
     * Epoch milliseconds as a quoted {@link IsoTimes} text; the date part is kept from the last call, so
     * times of the same day (a page of bars, an order's two times) spell their date once.
     */
    public JsonBytes time(long epochMs) {
        long days = Math.floorDiv(epochMs, IsoTimes.MS_PER_DAY);
        if (days != cachedDay) {
            if (!IsoTimes.writeDate(days, cachedDate, 0)) {
                return string(IsoTimes.format(epochMs));
            }
            cachedDay = days;
        }
        ensure(26);
        bytes[size++] = '"';
        System.arraycopy(cachedDate, 0, bytes, size, 11);
        IsoTimes.writeTimeOfDay((int) Math.floorMod(epochMs, IsoTimes.MS_PER_DAY), bytes, size + 11);
        size += 24;
        bytes[size++] = '"';
        return this;
    }

    /** Empties the writer for the next body, keeping its array (a per-thread scratch writer). */
    public JsonBytes reset() {
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** The text written so far, as a new array. */
    public byte[] toBytes() {
        return Arrays.copyOf(bytes, size);
    }

    /** The text written so far, copied into a buffer of its size: the writer may go on or be reused. */
    public Buffer toBuffer() {
        return Buffer.buffer(toBytes());
    }

    /**
     * The text written so far, as a buffer over this writer's array: no copy ({@link #toBuffer} would make a
     * 1 000-bar page, ~155 KB, of garbage per copy at hundreds of requests a second), but the buffer keeps the
     * whole array alive and sees whatever is written next. Write nothing more after this.
     */
    public Buffer asBuffer() {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, size));
    }

    /**
     * The text written so far copied into a pooled direct buffer (one memcpy, no heap garbage), so the writer
     * can be reset at once; the caller releases the buffer once written (e.g. when the response's write
     * completes).
     */
    public ByteBuf toPooledDirect() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, size));
        b.writeBytes(bytes, 0, size);
        return b;
    }

    /** A non-negative value in at least {@code width} digits, zero-padded; room ensured by the caller. */
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

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
