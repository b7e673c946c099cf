package org.opentrade.bench.fix;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Per order of a {@link FixedRateSchedule}: when it was actually sent and when its first
 * ExecutionReport arrived (with that report's ExecType and OrdRejReason); later reports of the same
 * order (an IOC's Canceled) only count. {@link #result} turns that into histograms of the measured
 * orders: latency from the due time, service time from the actual send, the sender's lateness.
 *
 * <p>Threads: {@link #sent} on the sending thread only; {@link #report} on any thread (QuickFIX/J's),
 * the first report of an order wins by compare-and-set; {@link #result} on the sending thread once the
 * receivers are stopped (or have settled: it reads what {@link #answered()} has published). Memory: two
 * longs, a char and an int per order (40 000 orders: under 1 MB).
 */
public final class FirstReportRecorder {
    /** Histograms track up to this (a minute, in ns) with 3 significant digits. */
    static final long MAX_TRACKED_NS = 60_000_000_000L;
    /** ExecType(150) of a rejection. */
    static final char REJECTED = '8';
    private static final byte SENT = 1;
    private static final byte REFUSED = 2;

    private final FixedRateSchedule schedule;
    private final long[] sentNs;
    /** 0 not attempted, {@link #SENT}, {@link #REFUSED}. */
    private final byte[] sendState;
    private final AtomicLongArray firstNs;
    private final char[] execType;
    private final int[] rejReason;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();

    public FirstReportRecorder(FixedRateSchedule schedule) {
        if (schedule.totalOrders() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many orders for one run: " + schedule.totalOrders());
        }
        this.schedule = schedule;
        int n = (int) schedule.totalOrders();
        sentNs = new long[n];
        sendState = new byte[n];
        firstNs = new AtomicLongArray(n);
        execType = new char[n];
        rejReason = new int[n];
    }

    public FixedRateSchedule schedule() {
        return schedule;
    }

    /** Order {@code index} was handed to the session at {@code nowNs}; {@code ok} false: the session refused it. */
    public void sent(long index, long nowNs, boolean ok) {
        sentNs[(int) index] = nowNs;
        sendState[(int) index] = ok ? SENT : REFUSED;
    }

    /**
     * An ExecutionReport for order {@code index} (-1: not one of this run's ClOrdIDs) arrived at
     * {@code nowNs}. {@code ordRejReason} is -1 when the report carries none.
     *
     * @return whether it was the order's first report
     */
    public boolean report(long index, long nowNs, char type, int ordRejReason) {
        reports.incrementAndGet();
        if (index < 0 || index >= firstNs.length()) {
            foreign.incrementAndGet();
            return false;
        }
        int i = (int) index;
        long stamp = nowNs == 0 ? 1 : nowNs; // 0 marks "no report yet"
        if (!firstNs.compareAndSet(i, 0, stamp)) {
            return false;
        }
        execType[i] = type;
        rejReason[i] = ordRejReason;
        answered.incrementAndGet(); // publishes the two writes above to whoever reads answered()
        return true;
    }

    /** Orders that have had their first report. */
    public long answered() {
        return answered.get();
    }

    /** All ExecutionReports received, first or not, ours or not. */
    public long reports() {
        return reports.get();
    }

    /** The measured part's figures; {@code name} labels the result line. */
    public FixLoadResult result(String name) {
        Histogram latency = new Histogram(MAX_TRACKED_NS, 3);
        Histogram service = new Histogram(MAX_TRACKED_NS, 3);
        Histogram lateness = new Histogram(MAX_TRACKED_NS, 3);
        Map<Integer, Long> rejects = new TreeMap<>();
        long ok = 0;
        long unanswered = 0;
        long sendFailed = 0;
        long firstSent = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        long sentCount = 0;
        for (long index = schedule.warmupOrders(); index < schedule.totalOrders(); index++) {
            int i = (int) index;
            long due = schedule.dueNanos(index);
            if (sendState[i] == 0) {
                sendFailed++; // never reached (the run stopped early)
                continue;
            }
            lateness.recordValue(Math.max(0, Math.min(MAX_TRACKED_NS, sentNs[i] - due)));
            firstSent = Math.min(firstSent, sentNs[i]);
            lastSent = Math.max(lastSent, sentNs[i]);
            sentCount++;
            if (sendState[i] == REFUSED) {
                sendFailed++;
                continue;
            }
            long first = firstNs.get(i);
            if (first == 0) {
                unanswered++;
            } else if (execType[i] == REJECTED) {
                rejects.merge(rejReason[i], 1L, Long::sum);
            } else {
                ok++;
                latency.recordValue(clamp(first - due));
                service.recordValue(clamp(first - sentNs[i]));
            }
        }
        double achieved = sentCount > 1 && lastSent > firstSent ? (sentCount - 1) * 1e9 / (lastSent - firstSent) : 0;
        return new FixLoadResult(name, schedule.rate(), achieved, schedule.measuredOrders(), ok, rejects, unanswered,
                sendFailed, foreign.get(), latency, service, lateness);
    }

    private static long clamp(long ns) {
        return Math.max(0, Math.min(MAX_TRACKED_NS, ns));
    }
}
