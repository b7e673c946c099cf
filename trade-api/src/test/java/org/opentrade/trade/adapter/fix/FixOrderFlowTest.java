package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;

/**
 * FIX 4.4 Volume 4 Appendix D scenarios through a QuickFIX/J initiator, against trade-api and the
 * real exchange: each test has its own developer (account), session and symbol, and asserts the
 * exact ExecType/OrdStatus/CumQty/LeavesQty sequence.
 */
class FixOrderFlowTest {
    @TempDir
    static Path dir;
    static FixHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = FixHarness.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aLimitOrderIsNewThenPartiallyThenFullyFilled() throws Exception {
        try (FixClient c = h.client("dev_fill")) {
            c.send(FixMessages.limitBuy("f-1", "601398.SH", 300, "7.12"));
            Message n = c.expectReport('0', '0', 0, 300);
            assertEquals("f-1", n.getString(11));
            assertEquals("300", n.getString(38));
            h.counter("601398.SH", "SELL", "7.12", 100);
            Message p = c.expectReport('F', '1', 100, 200);
            assertEquals("100", p.getString(32));
            assertEquals("7.12", p.getString(31));
            h.counter("601398.SH", "SELL", "7.12", 200);
            Message f = c.expectReport('F', '2', 300, 0);
            assertEquals("200", f.getString(32));
            assertEquals("7.12", f.getString(6));
            assertEquals(n.getString(37), f.getString(37), "one OrderID for the order's life");
        }
    }
}
