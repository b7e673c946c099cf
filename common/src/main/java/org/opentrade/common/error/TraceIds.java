package org.opentrade.common.error;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Trace ids for responses and error bodies: the caller's W3C {@code traceparent} trace id when it
 * sends a valid one, else a fresh random one (32 lower-case hex digits, never all zero).
 */
public final class TraceIds {
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String ZERO = "00000000000000000000000000000000";

    private TraceIds() {
    }

    public static String from(String traceParent) {
        if (traceParent != null && traceParent.length() <= 64) {
            var m = TRACEPARENT.matcher(traceParent.strip());
            if (m.matches() && !m.group(1).equals(ZERO)) {
                return m.group(1);
            }
        }
        return random();
    }

    /** True for 32 lower-case hex digits, not all zero. */
    public static boolean isValid(String traceId) {
        return traceId != null && TRACE_ID.matcher(traceId).matches() && !traceId.equals(ZERO);
    }

    public static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong() | 1L; // never all zero
        return String.format("%016x%016x", hi, lo);
    }
}
