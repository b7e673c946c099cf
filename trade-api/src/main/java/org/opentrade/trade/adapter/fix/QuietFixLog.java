package org.opentrade.trade.adapter.fix;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.logging.LogBudget;
import quickfix.Log;
import quickfix.LogFactory;
import quickfix.SessionID;

/**
 * QuickFIX/J's session log, kept quiet: messages in and out are not logged (the message store keeps
 * them for resends); session events go to java.util.logging at FINE, errors at WARNING.
 *
 * <p>Errors are rate-limited per session: at most {@value #ERRORS_PER_WINDOW} lines per
 * {@value #WINDOW_MILLIS} ms, then one line saying how many were left out. A client controls how many
 * errors it causes (every message still queued after its session was dropped is one), so without the
 * limit it could fill the disk with log lines.
 */
public final class QuietFixLog implements Log {
    static final Logger LOG = Logger.getLogger("org.opentrade.trade.fix.session");
    static final int ERRORS_PER_WINDOW = 20;
    static final long WINDOW_MILLIS = 10_000;
    private final String session;
    private final LogBudget errors;

    QuietFixLog(SessionID sessionId, LongSupplier clock) {
        this.session = sessionId.toString();
        this.errors = new LogBudget(ERRORS_PER_WINDOW, WINDOW_MILLIS, clock);
    }

    private QuietFixLog(SessionID sessionId) {
        this(sessionId, System::currentTimeMillis);
    }

    public static LogFactory factory() {
        return new LogFactory() {
            @Override
            public Log create(SessionID sessionId) {
                return new QuietFixLog(sessionId);
            }
        };
    }

    @Override
    public void clear() {
    }

    @Override
    public void onIncoming(String message) {
    }

    @Override
    public void onOutgoing(String message) {
    }

    @Override
    public void onEvent(String text) {
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(session + ": " + text);
        }
    }

    @Override
    public void onErrorEvent(String text) {
        LogBudget.Admission a = errors.admit();
        if (a.leftOutBefore() > 0) {
            LOG.warning(session + ": " + errors.leftOutText(a.leftOutBefore(), "this session's errors"));
        }
        if (a.allowed()) {
            LOG.warning(session + ": " + text);
        }
    }
}
