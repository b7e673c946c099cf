package org.opentrade.trade.adapter.fix;

import java.util.function.LongSupplier;

/**
 * One session's inbound message rate, a token bucket: {@code perSecond} messages a second, bursts of up
 * to twice that. FIX bypasses the gateway's rate limits, and every message a client sends costs work and
 * most cost an answer the store keeps (an OrderStatusRequest's report, a cancel's reject): without a
 * bound a session set the pace of the acceptor's CPU and disk. A message past the bucket is refused
 * ({@link Verdict#REFUSE}); a session that sends more than {@code perSecond} refused messages within a
 * second is not slowing down and is logged out ({@link Verdict#LOG_OUT}, once; what it sends meanwhile
 * is dropped), so what a session costs stays bounded whatever it sends. Thread-safe (QuickFIX/J calls it on the session's thread).
 */
final class MessageThrottle {
    /** PASS: act on it; REFUSE: answer that it is refused; LOG_OUT: log the session out; DROP: it is being logged out. */
    enum Verdict { PASS, REFUSE, LOG_OUT, DROP }

    private static final long SECOND = 1_000_000_000L;
    private final int perSecond;
    private final double capacity;
    private final LongSupplier nanos;
    private double tokens;
    private long refilledAt;
    private long refusedWindowStart;
    private int refusedInWindow;
    private boolean loggingOut;

    MessageThrottle(int perSecond, LongSupplier nanos) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a message rate needs at least 1 per second: " + perSecond);
        }
        this.perSecond = perSecond;
        this.capacity = 2.0 * perSecond;
        this.nanos = nanos;
        this.tokens = capacity;
        this.refilledAt = nanos.getAsLong();
    }

    /** Takes one message's token; what to do with the message. */
    synchronized Verdict take() {
        if (loggingOut) {
            return Verdict.DROP;
        }
        long now = nanos.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * (double) perSecond / SECOND);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.PASS;
        }
        if (refusedInWindow == 0 || now - refusedWindowStart >= SECOND) {
            refusedWindowStart = now;
            refusedInWindow = 0;
        }
        if (++refusedInWindow > perSecond) {
            loggingOut = true;
            return Verdict.LOG_OUT;
        }
        return Verdict.REFUSE;
    }

    /** Whether {@link #take} has logged the session out. */
    synchronized boolean loggedOut() {
        return loggingOut;
    }

    int perSecond() {
        return perSecond;
    }
}
