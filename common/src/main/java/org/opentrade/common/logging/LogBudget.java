package org.opentrade.common.logging;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * At most {@code perWindow} log lines per window, then a count of those left out: for lines a caller
 * outside the process can cause at will (a connection, a garbled message), which would otherwise fill
 * the disk at the caller's pace. Thread-safe. {@link #filter} puts one on a library's logger.
 */
public final class LogBudget {
    private static final Logger LOG = Logger.getLogger(LogBudget.class.getName());
    private final int perWindow;
    private final long windowMillis;
    private final LongSupplier clock;
    private long windowStart = Long.MIN_VALUE;
    private int inWindow;
    private long leftOut;

    public LogBudget(int perWindow, long windowMillis, LongSupplier clock) {
        if (perWindow < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("a log budget needs lines and a window: " + perWindow + " per "
                    + windowMillis + " ms");
        }
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Whether one more line may be written now, and how many were left out in the window that ended
     * before it (to be reported first; 0 when none or when the window has not ended).
     */
    public Admission admit() {
        long reported = 0;
        synchronized (this) {
            long now = clock.getAsLong();
            if (windowStart == Long.MIN_VALUE || now - windowStart >= windowMillis) {
                reported = leftOut;
                windowStart = now;
                inWindow = 0;
                leftOut = 0;
            }
            if (inWindow >= perWindow) {
                leftOut++;
                return new Admission(false, reported);
            }
            inWindow++;
            return new Admission(true, reported);
        }
    }

    /** What a line left out says: {@code "<n> more line(s) of <what> in <s> s not logged (at most …)"}. */
    public String leftOutText(long count, String what) {
        return count + " more line(s) of " + what + " in " + windowMillis / 1000 + " s not logged (at most " + perWindow
                + " per " + windowMillis / 1000 + " s)";
    }

    /**
     * Puts a budget on what {@code logger} itself writes (not its children: java.util.logging applies a
     * logger's filter to its own records only). The count of lines left out is written as a WARNING of
     * this class's logger. Keep a reference to {@code logger}: java.util.logging holds loggers weakly, and
     * a logger collected and made again has lost its filter.
     */
    public static void filter(Logger logger, int perWindow, long windowMillis) {
        LogBudget budget = new LogBudget(perWindow, windowMillis, System::currentTimeMillis);
        String name = logger.getName();
        logger.setFilter(new Filter() {
            @Override
            public boolean isLoggable(LogRecord record) {
                Admission a = budget.admit();
                if (a.leftOutBefore() > 0) {
                    LOG.warning(budget.leftOutText(a.leftOutBefore(), name));
                }
                return a.allowed();
            }
        });
    }

    /**
     * @param allowed        write this line
     * @param leftOutBefore lines left out in the window just ended, to report before this one
     */
    public record Admission(boolean allowed, long leftOutBefore) {
    }
}
