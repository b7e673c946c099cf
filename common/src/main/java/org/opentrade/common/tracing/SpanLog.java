package org.opentrade.common.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link SpanStore}'s spans, encoded one after another into one byte array used as a ring. A record
 * is {@code [int length][long previous][span]}, where {@code previous} is the absolute position of
 * the same trace's previous span (-1 for none), so a trace's spans form a chain from its newest.
 * Records never wrap (the tail that does not fit is skipped), so a record at absolute position
 * {@code p} is intact exactly while {@code p >= head - capacity}.
 *
 * <p>The span: span id and parent span id as longs (0: none), kind and status ordinals, start and
 * end nanos, name, service, then the attributes as (key, type, value). Strings are cut to
 * {@code maxChars}; ASCII ones take a byte per char.
 *
 * <p>Not thread-safe: {@link SpanStore} calls it under its lock. Allocates nothing per append once
 * its scratch buffer has grown to the largest span seen.
 */
final class SpanLog {
    private static final int HEADER = 4 + 8;
    private static final SpanKind[] KINDS = SpanKind.values();
    private static final StatusCode[] STATUSES = StatusCode.values();
    private static final byte T_STRING = 1;
    private static final byte T_LONG = 2;
    private static final byte T_DOUBLE = 3;
    private static final byte T_BOOLEAN = 4;
    /** A list: this tag plus the element's tag. */
    private static final byte T_LIST = 8;

    private final byte[] bytes;
    private final int maxChars;
    /** Absolute position where the next record goes. */
    private long head;
    private byte[] scratch = new byte[512];
    private int len;
    private final BiConsumer<AttributeKey<?>, Object> attributeWriter = this::writeAttribute;

    SpanLog(int capacity, int maxChars) {
        this.bytes = new byte[capacity];
        this.maxChars = maxChars;
    }

    int capacity() {
        return bytes.length;
    }

    /** Appends the span after {@code previous} of its trace; its absolute position, or -1 if too large. */
    long append(SpanData span, long previous) {
        len = 0;
        writeLong(TraceIds.spanId(span.getSpanId()));
        writeLong(span.getParentSpanContext().isValid() ? TraceIds.spanId(span.getParentSpanId()) : 0);
        writeByte(span.getKind().ordinal());
        writeByte(span.getStatus().getStatusCode().ordinal());
        writeLong(span.getStartEpochNanos());
        writeLong(span.getEndEpochNanos());
        writeString(span.getName());
        writeString(span.getResource().getAttribute(TraceAttributes.SERVICE_NAME));
        int count = Math.min(span.getAttributes().size(), Short.MAX_VALUE);
        writeShort(count);
        int countAt = len - 2;
        written = 0;
        span.getAttributes().forEach(attributeWriter);
        if (written != count) {
            putShort(scratch, countAt, written);
        }
        int total = HEADER + len;
        if (total > bytes.length / 4) {
            return -1;
        }
        int at = (int) (head % bytes.length);
        if (at + total > bytes.length) {
            head += bytes.length - at;
            at = 0;
        }
        long position = head;
        putInt(bytes, at, total);
        putLong(bytes, at + 4, previous);
        System.arraycopy(scratch, 0, bytes, at + HEADER, len);
        head += total;
        return position;
    }

    /** True while the record at absolute position {@code position} has not been overwritten. */
    boolean intact(long position) {
        return position >= head - bytes.length && position < head;
    }

    /** The absolute position of the previous span of the same trace (-1: none). */
    long previous(long position) {
        return getLong(bytes, (int) (position % bytes.length) + 4);
    }

    /** The span at {@code position} (intact) as the viewer shows it. */
    SpanRecord read(long position, String traceId) {
        Reader r = new Reader((int) (position % bytes.length) + HEADER);
        long spanId = r.readLong();
        long parent = r.readLong();
        String kind = KINDS[r.readByte()].name();
        String status = STATUSES[r.readByte()].name();
        long start = r.readLong();
        long end = r.readLong();
        String name = r.readString();
        String service = r.readString();
        int count = r.readShort();
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = r.readString();
            attributes.put(key, r.readValue());
        }
        return new SpanRecord(traceId, TraceIds.hex(spanId), parent == 0 ? null : TraceIds.hex(parent), name, kind,
                service, start / 1_000, Math.max(0, end - start) / 1_000, status, Collections.unmodifiableMap(attributes));
    }

    // ------------------------------------------------------------------ writing into scratch

    /** Attributes written into the span being encoded. */
    private int written;

    private void writeAttribute(AttributeKey<?> key, Object value) {
        if (written >= Short.MAX_VALUE) { // the count is a short
            return;
        }
        written++;
        writeString(key.getKey());
        if (value instanceof List<?> list) {
            byte element = list.isEmpty() ? T_STRING : tag(list.get(0));
            writeByte(T_LIST | element);
            int n = Math.min(list.size(), maxChars);
            writeShort(n);
            for (int i = 0; i < n; i++) {
                writeScalar(element, list.get(i));
            }
        } else {
            byte t = tag(value);
            writeByte(t);
            writeScalar(t, value);
        }
    }

    private static byte tag(Object value) {
        return value instanceof Long ? T_LONG : value instanceof Double ? T_DOUBLE
                : value instanceof Boolean ? T_BOOLEAN : T_STRING;
    }

    private void writeScalar(byte tag, Object value) {
        switch (tag) {
            case T_LONG -> writeLong(value instanceof Number n ? n.longValue() : 0);
            case T_DOUBLE -> writeLong(Double.doubleToRawLongBits(value instanceof Number n ? n.doubleValue() : 0));
            case T_BOOLEAN -> writeByte(Boolean.TRUE.equals(value) ? 1 : 0);
            default -> writeString(value instanceof String str ? str : String.valueOf(value));
        }
    }

    private void ensure(int more) {
        if (len + more > scratch.length) {
            byte[] grown = new byte[Math.max(scratch.length * 2, len + more)];
            System.arraycopy(scratch, 0, grown, 0, len);
            scratch = grown;
        }
    }

    private void writeByte(int b) {
        ensure(1);
        scratch[len++] = (byte) b;
    }

    private void writeShort(int s) {
        ensure(2);
        putShort(scratch, len, s);
        len += 2;
    }

    private void writeLong(long v) {
        ensure(8);
        putLong(scratch, len, v);
        len += 8;
    }

    /** {@code [short n | 0x8000 when two bytes per char][chars]}; null as n = 0x7fff. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, as wanted
    private void writeString(String s) {
        if (s == null) {
            writeShort(0x7fff);
            return;
        }
        int n = Math.min(s.length(), maxChars);
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            writeShort(n);
            ensure(n);
            s.getBytes(0, n, scratch, len); // an array copy for a Latin-1 string, where a loop went char by char
            len += n;
            return;
        }
        writeShort(n | 0x8000);
        ensure(2 * n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            scratch[len++] = (byte) (c >>> 8);
            scratch[len++] = (byte) c;
        }
    }

    // ------------------------------------------------------------------ reading from the log

    private final class Reader {
        private int at;

        Reader(int at) {
            this.at = at;
        }

        int readByte() {
            return bytes[at++] & 0xff;
        }

        int readShort() {
            int v = getShort(bytes, at);
            at += 2;
            return v;
        }

        long readLong() {
            long v = getLong(bytes, at);
            at += 8;
            return v;
        }

        String readString() {
            int h = readShort();
            if (h == 0x7fff) {
                return null;
            }
            boolean wide = (h & 0x8000) != 0;
            int n = h & 0x7fff;
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                chars[i] = wide ? (char) (((bytes[at++] & 0xff) << 8) | (bytes[at++] & 0xff)) : (char) (bytes[at++] & 0xff);
            }
            return new String(chars);
        }

        Object readValue() {
            int t = readByte();
            if ((t & T_LIST) != 0) {
                int n = readShort();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readScalar(t & ~T_LIST));
                }
                return Collections.unmodifiableList(list);
            }
            return readScalar(t);
        }

        private Object readScalar(int tag) {
            return switch (tag) {
                case T_LONG -> readLong();
                case T_DOUBLE -> Double.longBitsToDouble(readLong());
                case T_BOOLEAN -> readByte() == 1;
                default -> readString();
            };
        }
    }

    // ------------------------------------------------------------------ big-endian helpers

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static int getShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static void putInt(byte[] b, int at, int v) {
        putShort(b, at, v >>> 16);
        putShort(b, at + 2, v);
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
