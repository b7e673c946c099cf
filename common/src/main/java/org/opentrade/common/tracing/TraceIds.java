package org.opentrade.common.tracing;

/**
 * W3C trace and span ids (lowercase hex, as the OpenTelemetry SDK writes them) to longs and back,
 * for {@link SpanStore}'s primitive arrays. Anything else (wrong length, uppercase, not hex) parses
 * to 0, which is no valid id: a trace id is all-zero only when invalid, a span id likewise.
 */
final class TraceIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceIds() {
    }

    /** Whether {@code traceId} is 32 lowercase hex digits (all zeros included: check the halves for that). */
    static boolean isTraceId(String traceId) {
        return isHex(traceId, 32);
    }

    /** The first 16 hex digits of a trace id that {@linkplain #isTraceId is one}. */
    static long high(String traceId) {
        return parse(traceId, 0, 16);
    }

    /** The last 16 hex digits of a trace id that {@linkplain #isTraceId is one}. */
    static long low(String traceId) {
        return parse(traceId, 16, 32);
    }

    /** A 16-digit span id as a long; 0 when malformed. */
    static long spanId(String spanId) {
        return isHex(spanId, 16) ? parse(spanId, 0, 16) : 0;
    }

    /** 16 lowercase hex digits. */
    static String hex(long v) {
        char[] c = new char[16];
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(c);
    }

    private static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static long parse(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }
}
