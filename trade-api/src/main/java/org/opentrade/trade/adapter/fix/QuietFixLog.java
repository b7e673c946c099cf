package org.opentrade.trade.adapter.fix;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
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
    private final LongSupplier clock;
    private long windowStart = Long.MIN_VALUE;
    private int inWindow;
    private long suppressed;

    QuietFixLog(SessionID sessionId, LongSupplier clock) {
        this.session = sessionId.toString();
        this.clock = clock;
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
        String left = null;
        synchronized (this) {
            long now = clock.getAsLong();
            if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW_MILLIS) {
                if (suppressed > 0) {
                    left = session + ": " + suppressed + " more error(s) in " + WINDOW_MILLIS / 1000
                            + " s not logged (at most " + ERRORS_PER_WINDOW + " per session)";
                }
                windowStart = now;
                inWindow = 0;
                suppressed = 0;
            }
            if (inWindow >= ERRORS_PER_WINDOW) {
                suppressed++;
                text = null;
            } else {
                inWindow++;
            }
        }
        if (left != null) {
            LOG.warning(left);
        }
        if (text != null) {
            LOG.warning(session + ": " + text);
        }
    }
}
