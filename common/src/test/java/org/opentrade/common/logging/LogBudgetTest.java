package org.opentrade.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogBudgetTest {

    @Test
    void allowsTheBudgetPerWindowThenReportsWhatItLeftOut() {
        AtomicLong now = new AtomicLong(1_000);
        LogBudget budget = new LogBudget(3, 10_000, now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(new LogBudget.Admission(true, 0), budget.admit());
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(new LogBudget.Admission(false, 0), budget.admit());
        }
        now.addAndGet(9_999);
        assertFalse(budget.admit().allowed(), "the window has not ended");
        now.addAndGet(1);
        assertEquals(new LogBudget.Admission(true, 6), budget.admit(), "a new window, reporting the 6 left out");
        assertEquals(new LogBudget.Admission(true, 0), budget.admit(), "reported once");
        now.addAndGet(60_000);
        assertEquals(new LogBudget.Admission(true, 0), budget.admit(), "nothing left out in the last window");
        assertEquals("6 more line(s) of x in 10 s not logged (at most 3 per 10 s)", budget.leftOutText(6, "x"));
        assertThrows(IllegalArgumentException.class, () -> new LogBudget(0, 10, now::get));
    }

    @Test
    void aFilteredLoggerWritesItsBudgetAndNotMore() {
        Logger logger = Logger.getLogger("org.opentrade.test.budgeted");
        List<LogRecord> seen = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                seen.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.setUseParentHandlers(false);
        logger.addHandler(capture);
        try {
            LogBudget.filter(logger, 5, 60_000);
            for (int i = 0; i < 1_000; i++) {
                logger.severe("connection " + i);
            }
            assertEquals(5, seen.size());
            assertEquals("connection 4", seen.get(4).getMessage());
            assertTrue(seen.stream().allMatch(r -> r.getLevel() == Level.SEVERE));
        } finally {
            logger.setFilter(null);
            logger.removeHandler(capture);
            logger.setUseParentHandlers(true);
        }
    }
}
