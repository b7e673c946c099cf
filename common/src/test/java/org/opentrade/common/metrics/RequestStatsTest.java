package org.opentrade.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestStatsTest {
    @Test
    void countsByRouteAndStatusWithOneHistogramOverAll() {
        RequestStats s = new RequestStats("trade");
        s.record("GET /v1/orders/:order_id", 200, 300_000, true); // 0.3 ms
        s.record("GET /v1/orders/:order_id", 200, 3_000_000, true); // 3 ms
        s.record("POST /v1/orders", 418, 20_000_000, false); // a status outside the set, closed early
        String text = s.prometheus();
        assertTrue(text.contains("# TYPE trade_requests_total counter\n"), text);
        assertTrue(text.contains("trade_requests_total{route=\"GET /v1/orders/:order_id\",status=\"200\"} 2\n"), text);
        assertTrue(text.contains("trade_requests_total{route=\"POST /v1/orders\",status=\"other\"} 1\n"), text);
        assertTrue(text.contains("trade_request_duration_seconds_bucket{le=\"5.0E-4\"} 1\n"), text);
        assertTrue(text.contains("trade_request_duration_seconds_bucket{le=\"0.005\"} 2\n"), text);
        assertTrue(text.contains("trade_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"), text);
        assertTrue(text.contains("trade_request_duration_seconds_count 3\n"), text);
        assertTrue(text.contains("trade_request_duration_seconds_sum 0.0233\n"), text);
        assertTrue(text.contains("trade_requests_closed_early_total 1\n"), text);
    }

    @Test
    void labelsStayBoundedWhateverTheClientSends() {
        assertEquals("GET /v1/orders/:order_id", RequestStats.routeLabel("GET", "/v1/orders/:order_id"));
        assertEquals("OTHER /v1/orders", RequestStats.routeLabel("BREW", "/v1/orders"), "invented methods are one label");
        assertEquals("unmatched", RequestStats.routeLabel("GET", null));
        assertEquals("a\\\"b\\\\c\\n", RequestStats.escape("a\"b\\c\n"));
    }
}
