package org.opentrade.trade.adapter.fix;

import java.util.function.LongSupplier;

/**
 * One session's ResendRequests (2): which are answered. QuickFIX/J answers a ResendRequest by reading the whole
 * range from the store into memory at once and sending every message of it again (ExecutionReports with
 * PossDupFlag, gap fills for the rest); BeginSeqNo=1, EndSeqNo=0 is the session's whole FIX day. A client that
 * repeats it makes the acceptor read, parse and write its day again per request, at the session's message rate.
 *
 * <p>A request that asks for numbers already resent is a <i>repeat</i>; one is answered per {@code interval}
 * (from the last answered request of any kind), and any other repeat meanwhile is refused. A request that starts
 * past everything already resent (a real gap: reports made while the client was away or missed, or the next
 * chunk of a chunked resend) is always answered, so nothing is ever lost: the store keeps every ExecutionReport,
 * and a refused repeat can be asked again once the interval is over. Numbers that start over (the daily reset,
 * ResetSeqNumFlag) start the record over. Kept across the session's Logons, so logging on again does not buy
 * another repeat. Thread-safe (QuickFIX/J calls it on the session's thread; tests and metrics read it).
 */
final class ResendGate {
    /**
     * One repeat per session this often. Longer: less a repeating client can make the acceptor resend (its day's
     * store at most once per interval); shorter: a client that lost its connection in the middle of a resend and
     * asks for the same numbers again on its next Logon waits less.
     */
    static final java.time.Duration REPEAT_INTERVAL = java.time.Duration.ofSeconds(30);

    private final long intervalNanos;
    private final LongSupplier nanos;
    /** The highest number answered since the numbers last started over (0: none). */
    private int resentUpTo;
    private long answeredAt;
    private boolean answeredAny;
    private long refused;

    ResendGate(java.time.Duration interval, LongSupplier nanos) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a resend interval must be positive: " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.nanos = nanos;
    }

    /**
     * Whether a ResendRequest for {@code begin}..{@code end} (0: infinity) is answered, the session having sent up
     * to {@code lastSent}: 0 when it is (and it is recorded as answered), else the nanoseconds until a repeat is
     * answered again (and it is counted as refused).
     */
    synchronized long admit(int begin, int end, int lastSent) {
        if (lastSent < resentUpTo) {
            resentUpTo = 0; // the numbers started over: what was resent before names other messages
        }
        long now = nanos.getAsLong();
        boolean repeat = begin <= resentUpTo;
        if (repeat && answeredAny && now - answeredAt < intervalNanos) {
            refused++;
            return intervalNanos - (now - answeredAt);
        }
        int to = end <= 0 || end > lastSent ? lastSent : end;
        resentUpTo = Math.max(resentUpTo, to);
        answeredAt = now;
        answeredAny = true;
        return 0;
    }

    /** The highest number answered since the numbers last started over (0: none). */
    synchronized int resentUpTo() {
        return resentUpTo;
    }

    /** ResendRequests of this session refused since the acceptor started. */
    synchronized long refused() {
        return refused;
    }
}
