package org.opentrade.bench.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstReportRecorderTest {
    private static final long MS = 1_000_000;

    /** 10 orders/s for 1 s after 0.5 s warm-up: orders 0-4 warm-up, 5-14 measured; order i due at i × 100 ms. */
    private final FixedRateSchedule schedule = FixedRateSchedule.of(0, 10, 0.5, 1);
    private final FirstReportRecorder rec = new FirstReportRecorder(schedule);

    @Test
    void latencyRunsFromTheDueTimeAndServiceTimeFromTheActualSend() {
        for (long i = 0; i < 15; i++) {
            long due = schedule.dueNanos(i);
            long late = i == 7 ? 30 * MS : 0; // the sender stalled before order 7
            rec.sent(i, due + late, true);
            rec.report(i, due + late + (i + 1) * MS, '0', -1);
        }
        FixLoadResult r = rec.result("t");
        assertEquals(10, r.orders());
        assertEquals(10, r.ok());
        assertEquals(0, r.errors());
        // measured orders 5..14 took (i + 1) ms from their actual send; order 7 was sent 30 ms late
        long[] latencies = new long[10];
        for (int i = 5; i < 15; i++) {
            latencies[i - 5] = (i + 1) * MS + (i == 7 ? 30 * MS : 0);
        }
        Arrays.sort(latencies);
        assertEquals(latencies[9], r.latency().getMaxValue(), latencies[9] / 1000.0, "order 7: its wait counts");
        assertEquals(15 * MS, r.service().getMaxValue(), 15 * MS / 1000.0, "order 14: 15 ms from its send");
        assertEquals(6 * MS, r.service().getMinValue(), 6 * MS / 1000.0, "order 5: the first measured one");
        assertEquals(30 * MS, r.lateness().getMaxValue(), 30 * MS / 1000.0);
    }

    @Test
    void onlyTheFirstReportOfAnOrderIsTimedAndForeignReportsAreCountedApart() {
        rec.sent(5, schedule.dueNanos(5), true);
        assertTrue(rec.report(5, schedule.dueNanos(5) + MS, '0', -1));
        assertFalse(rec.report(5, schedule.dueNanos(5) + 9 * MS, '4', -1), "the IOC's Canceled after its New");
        assertFalse(rec.report(-1, 0, '0', -1));
        assertFalse(rec.report(99, 0, '0', -1), "not an order of this run");
        assertEquals(4, rec.reports());
        assertEquals(1, rec.answered());
        FixLoadResult r = rec.result("t");
        assertEquals(1, r.ok());
        assertEquals(MS, r.service().getMaxValue(), MS / 1000.0);
        assertEquals(2, r.foreign());
    }

    @Test
    void rejectionsCountByOrdRejReasonAndWithUnansweredAndUnsentOrdersAreTheErrors() {
        for (long i = 0; i < 15; i++) {
            rec.sent(i, schedule.dueNanos(i), i != 14); // order 14: the session refused it
        }
        rec.report(5, schedule.dueNanos(5) + MS, '8', 3);
        rec.report(6, schedule.dueNanos(6) + MS, '8', 3);
        rec.report(7, schedule.dueNanos(7) + MS, '8', 99);
        rec.report(8, schedule.dueNanos(8) + MS, '0', -1);
        rec.report(2, schedule.dueNanos(2) + MS, '8', 13); // warm-up: not counted
        FixLoadResult r = rec.result("t");
        assertEquals(Map.of(3, 2L, 99, 1L), r.rejects());
        assertEquals(1, r.ok());
        assertEquals(5, r.unanswered(), "orders 9-13");
        assertEquals(1, r.sendFailed());
        assertEquals(3 + 5 + 1, r.errors());
        assertEquals(1, r.latency().getTotalCount(), "only the answered order is in the histogram");
    }

    @Test
    void theResultLineCarriesEveryFigureAsKeyEqualsValueInMicroseconds() {
        for (long i = 0; i < 15; i++) {
            rec.sent(i, schedule.dueNanos(i), true);
            if (i != 9) {
                rec.report(i, schedule.dueNanos(i) + 2 * MS, i == 10 ? '8' : '0', i == 10 ? 13 : -1);
            }
        }
        String line = rec.result("bare").resultLine();
        assertTrue(line.startsWith("RESULT latency "), line);
        Map<String, String> kv = new HashMap<>();
        for (String part : line.substring("RESULT latency ".length()).split(" ")) {
            String[] p = part.split("=", 2);
            assertEquals(2, p.length, "key=value: " + part);
            kv.put(p[0], p[1]);
        }
        assertEquals("bare", kv.get("name"));
        assertEquals("10", kv.get("rate"));
        assertEquals("10", kv.get("achieved"), "sent exactly on time");
        assertEquals("10", kv.get("requests"));
        assertEquals("8", kv.get("ok"));
        assertEquals("2", kv.get("errors"));
        assertEquals("1", kv.get("rejects"));
        assertEquals("13:1", kv.get("rej_by_reason"));
        assertEquals("1", kv.get("unanswered"));
        assertEquals(2000.0, Double.parseDouble(kv.get("p99")), 2.0, "2 ms, in microseconds");
        assertEquals(2000.0, Double.parseDouble(kv.get("svc_p50")), 2.0);
        assertEquals(0.0, Double.parseDouble(kv.get("late_p99")));
        for (String key : new String[] {"p50", "p90", "p999", "max", "svc_p99", "send_failed", "foreign"}) {
            assertTrue(kv.containsKey(key), key);
        }
    }
}
