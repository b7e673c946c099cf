package org.opentrade.trade.adapter.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * UTF-8 JSON written straight into a byte array, byte for byte what Vert.x's Jackson codec writes
 * ({@link JsonObject#toBuffer()}) for the values trade-api's bodies and frames hold: strings, integral
 * numbers ({@code Long}, {@code Integer}, {@code Short}, {@code Byte}), booleans, null and nested
 * {@link JsonObject}s / {@link JsonArray}s. Anything else (a double, a BigDecimal, a non-ASCII string, an
 * Instant …) makes {@link #toBuffer} hand the whole object to Jackson, so the output never differs.
 *
 * <p>Why: the order path encodes an order for the REST answer and once per order-stream update; through
 * Jackson each costs a serializer lookup per value and a generator set-up per object (about a tenth of
 * trade-api's CPU per order in a profile at 1 000 orders/s). Not thread-safe: one instance per encoding.
 */
public final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    /** Thrown (without a stack) when a value has no exact fast form; the caller falls back to Jackson. */
    public static final class Unsupported extends RuntimeException {
        static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super("value without a fast JSON form", null, false, false);
        }
    }

    private byte[] buf;
    private int len;

    public JsonBytes(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    /** {@code o} encoded exactly as {@code o.toBuffer()} would. */
    public static Buffer toBuffer(JsonObject o) {
        try {
            return new JsonBytes(512).value(o).toBuffer();
        } catch (Unsupported u) {
            return o.toBuffer();
        }
    }

    /** What was written so far, as a Buffer (copied). */
    public Buffer toBuffer() {
        return Buffer.buffer(Arrays.copyOf(buf, len));
    }

    /** A raw ASCII fragment (punctuation, a field name written by hand). */
    public JsonBytes raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    public JsonBytes raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** {@code "name":} (the name is written as a JSON string). */
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

    public JsonBytes number(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            return raw("-9223372036854775808");
        }
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** A string with Jackson's escapes (quote, backslash, control characters); non-ASCII: {@link Unsupported}. */
    public JsonBytes string(String s) {
        if (s == null) {
            put(NULL);
            return this;
        }
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                throw Unsupported.INSTANCE;
            }
            if (c < 0x20 || c == '"' || c == '\\') {
                escape(c);
            } else {
                ensure(1);
                buf[len++] = (byte) c;
            }
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    private void escape(char c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\b' -> buf[len++] = 'b';
            case '\t' -> buf[len++] = 't';
            case '\n' -> buf[len++] = 'n';
            case '\f' -> buf[len++] = 'f';
            case '\r' -> buf[len++] = 'r';
            default -> {
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[c >> 4];
                buf[len++] = HEX[c & 0xF];
            }
        }
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
