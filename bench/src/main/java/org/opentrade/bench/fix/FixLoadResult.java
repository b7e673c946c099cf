package org.opentrade.bench.fix;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The figures of one FIX load run's measured orders (histograms in nanoseconds). An order counts as
 * answered ({@code ok}) when its first ExecutionReport is not a rejection; rejections (by
 * OrdRejReason), orders never answered before the drain ended and orders the session would not send are
 * the errors. Latency and service time are of the answered orders only. Immutable once built.
 *
 * @param rate       the offered rate, orders/s
 * @param achieved   the rate at which the measured orders actually left the sender
 * @param orders     measured orders (due in the measured part)
 * @param rejects    count per OrdRejReason(103) of orders whose first report was ExecType 8 (-1: none given)
 * @param foreign    ExecutionReports with a ClOrdID that is not one of this run's orders
 */
public record FixLoadResult(String name, double rate, double achieved, long orders, long ok,
                            Map<Integer, Long> rejects, long unanswered, long sendFailed, long foreign,
                            Histogram latency, Histogram service, Histogram lateness) {
    public FixLoadResult {
        rejects = Map.copyOf(rejects);
    }

    public long rejected() {
        return rejects.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errors() {
        return rejected() + unanswered + sendFailed;
    }

    /** A percentile of {@code h} in microseconds (0 for an empty histogram). */
    static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e3;
    }

    /** {@code 3:12,99:1}, ordered by reason; {@code -} when there are none. */
    public String rejectsByReason() {
        if (rejects.isEmpty()) {
            return "-";
        }
        return rejects.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The line scripts parse (the keys of {@code FixedRateHttpLoad}'s where they mean the same); times in µs. */
    public String resultLine() {
        return String.format(Locale.ROOT,
                "RESULT latency name=%s rate=%.0f achieved=%.0f requests=%d ok=%d errors=%d p50=%.1f p90=%.1f"
                        + " p99=%.1f p999=%.1f max=%.1f svc_p50=%.1f svc_p99=%.1f late_p99=%.1f rejects=%d"
                        + " rej_by_reason=%s unanswered=%d send_failed=%d foreign=%d",
                name, rate, achieved, orders, ok, errors(), micros(latency, 50), micros(latency, 90),
                micros(latency, 99), micros(latency, 99.9), latency.getMaxValue() / 1e3, micros(service, 50),
                micros(service, 99), micros(lateness, 99), rejected(), rejectsByReason(), unanswered, sendFailed,
                foreign);
    }

    /** Human-readable lines, then {@link #resultLine()}. */
    public String report() {
        return String.format(Locale.ROOT,
                "  NewOrderSingle -> first ExecutionReport, from the intended send (us): p50 %.0f  p90 %.0f  p99 %.0f"
                        + "  p99.9 %.0f  max %.0f%n"
                        + "  service time from the actual send (us): p50 %.0f  p99 %.0f  max %.0f%n"
                        + "  sender lateness (us): p50 %.0f  p99 %.0f  max %.0f%n"
                        + "  measured %d orders at %.0f/s (achieved %.0f/s): %d answered, %d rejected (by OrdRejReason %s),"
                        + " %d unanswered, %d not sent%n%s",
                micros(latency, 50), micros(latency, 90), micros(latency, 99), micros(latency, 99.9),
                latency.getMaxValue() / 1e3, micros(service, 50), micros(service, 99), service.getMaxValue() / 1e3,
                micros(lateness, 50), micros(lateness, 99), lateness.getMaxValue() / 1e3, orders, rate, achieved, ok,
                rejected(), rejectsByReason(), unanswered, sendFailed, resultLine());
    }
}
