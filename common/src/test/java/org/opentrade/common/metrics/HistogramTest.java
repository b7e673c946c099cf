package org.opentrade.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void durationsGoToTheFirstBucketTheyFitAndShowInSecondsCumulatively() {
        Histogram h = Histogram.seconds(0.001, 0.01);
        h.record(500_000);      // 0.5 ms
        h.record(1_000_000);    // exactly 1 ms: "le" includes the bound
        h.record(5_000_000);    // 5 ms
        h.record(2_000_000_000); // 2 s: only +Inf
        StringBuilder b = new StringBuilder();
        h.appendPrometheus(b, "x_seconds", "What x took.");
        assertEquals("""
                # HELP x_seconds What x took.
                # TYPE x_seconds histogram
                x_seconds_bucket{le="0.001"} 2
                x_seconds_bucket{le="0.01"} 3
                x_seconds_bucket{le="+Inf"} 4
                x_seconds_sum 2.0065
                x_seconds_count 4
                """, b.toString());
        assertEquals(2, h.countAtMost(0.001));
        assertEquals(3, h.countAtMost(0.01));
        assertEquals(4, h.count());
    }

    @Test
    void countsShowAsTheyAre() {
        Histogram h = Histogram.counts(1, 4);
        h.record(1);
        h.record(3);
        h.record(3);
        StringBuilder b = new StringBuilder();
        h.appendPrometheus(b, "n", "Sizes.");
        assertTrue(b.toString().contains("n_bucket{le=\"1.0\"} 1\nn_bucket{le=\"4.0\"} 3\nn_bucket{le=\"+Inf\"} 3\n"
                + "n_sum 7\nn_count 3\n"), b.toString());
    }

    @Test
    void boundsMustRise() {
        assertThrows(IllegalArgumentException.class, () -> Histogram.seconds(0.01, 0.001));
    }
}
