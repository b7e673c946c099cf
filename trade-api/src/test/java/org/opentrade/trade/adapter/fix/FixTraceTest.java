package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentrade.common.tracing.SpanStore;
import quickfix.Message;

/**
 * Each FIX order request is a span of trade-api owned by the developer, and its reports carry the
 * trace id in tag 9001: the span store (what {@code /v1/traces/{id}} reads) holds that trace.
 */
class FixTraceTest extends FixHarnessTest {

    @Test
    void aNewOrdersReportsCarryTheTraceIdOfItsSpanOwnedByTheDeveloper() throws Exception {
        try (FixClient c = h.client("dev_trace")) {
            c.send(FixMessages.limitBuy("tr-1", "601398.SH", 200, "7.12"));
            Message n = c.expectReport('0', '0', 0, 200);
            String traceId = n.getString(9001);
            assertTrue(traceId.matches("[0-9a-f]{32}"), traceId);
            assertSpan(traceId, "FIX NewOrderSingle", "dev_trace");

            h.counter("601398.SH", "SELL", "7.12", 100);
            Message fill = c.expectReport('F', '1', 100, 100);
            assertEquals(traceId, fill.getString(9001), "a fill carries its order's placement trace");

            c.send(FixMessages.cancel("tr-2", "tr-1", "601398.SH", '1'));
            Message pending = c.expectReport('6', '6', 100, 100);
            Message canceled = c.expectReport('4', '4', 100, 0);
            assertEquals(canceled.getString(9001), pending.getString(9001), "the pending ack carries the cancel's trace");
            String cancelTrace = canceled.getString(9001);
            assertNotEquals(traceId, cancelTrace, "the cancel is a request of its own");
            assertSpan(cancelTrace, "FIX OrderCancelRequest", "dev_trace");
        }
    }

    @Test
    void aRejectedOrderCarriesTheTraceIdToo() throws Exception {
        try (FixClient c = h.client("dev_trace_rej")) {
            c.send(FixMessages.limitBuy("tr-r", "601398.SH", 150, "7.12")); // not a board lot
            Message r = c.expectReport('8', '8', 0, 0);
            String traceId = r.getString(9001);
            assertTrue(traceId.matches("[0-9a-f]{32}"), traceId);
            assertSpan(traceId, "FIX NewOrderSingle", "dev_trace_rej");
        }
    }

    private static void assertSpan(String traceId, String name, String developer) throws Exception {
        SpanStore store = h.tracing.spanStore();
        FixHarness.until(() -> store.spans(traceId).stream().anyMatch(s -> s.name().equals(name) && "trade-api".equals(s.service())), 15);
        assertEquals(developer, store.owner(traceId), "the developer owns the trace");
    }
}
