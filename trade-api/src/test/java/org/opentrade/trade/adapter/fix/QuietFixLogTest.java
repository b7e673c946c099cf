package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import quickfix.SessionID;

class QuietFixLogTest {
    private LogLines capture;
    private List<String> lines;

    @BeforeEach
    void capture() {
        capture = LogLines.of(QuietFixLog.LOG);
        lines = capture.lines;
    }

    @AfterEach
    void release() {
        capture.close();
    }

    @Test
    void aFloodOfErrorsFromOneSessionLogsTheFirstOnesThenHowManyWereLeftOut() {
        AtomicLong now = new AtomicLong(1_000_000);
        QuietFixLog log = new QuietFixLog(new SessionID("FIX.4.4", "OPENTRADE", "FLOOD"), now::get);
        for (int i = 0; i < 5_000; i++) {
            log.onErrorEvent("bad message " + i);
        }
        assertEquals(QuietFixLog.ERRORS_PER_WINDOW, lines.size(), "only the first ones: " + lines.size());
        assertTrue(lines.get(0).endsWith("bad message 0"), lines.get(0));

        now.addAndGet(QuietFixLog.WINDOW_MILLIS);
        log.onErrorEvent("after the window");
        assertEquals(QuietFixLog.ERRORS_PER_WINDOW + 2, lines.size());
        assertTrue(lines.get(QuietFixLog.ERRORS_PER_WINDOW).contains(
                (5_000 - QuietFixLog.ERRORS_PER_WINDOW) + " more line(s) of this session's errors"), lines.get(QuietFixLog.ERRORS_PER_WINDOW));
        assertTrue(lines.get(QuietFixLog.ERRORS_PER_WINDOW + 1).endsWith("after the window"));
    }

    @Test
    void eachSessionHasItsOwnAllowance() {
        AtomicLong now = new AtomicLong();
        QuietFixLog a = new QuietFixLog(new SessionID("FIX.4.4", "OPENTRADE", "A"), now::get);
        QuietFixLog b = new QuietFixLog(new SessionID("FIX.4.4", "OPENTRADE", "B"), now::get);
        for (int i = 0; i < 100; i++) {
            a.onErrorEvent("a" + i);
        }
        b.onErrorEvent("b0");
        assertEquals(QuietFixLog.ERRORS_PER_WINDOW + 1, lines.size());
        assertTrue(lines.get(lines.size() - 1).endsWith("b0"));
    }
}
