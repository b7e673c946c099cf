package org.opentrade.trade.adapter.fix;

import java.util.logging.Level;
import java.util.logging.Logger;
import quickfix.Log;
import quickfix.LogFactory;
import quickfix.SessionID;

/**
 * QuickFIX/J's session log, kept quiet: messages in and out are not logged (the message store keeps
 * them for resends); session events go to java.util.logging at FINE, errors at WARNING.
 */
public final class QuietFixLog implements Log {
    private static final Logger LOG = Logger.getLogger("org.opentrade.trade.fix.session");
    private final String session;

    private QuietFixLog(SessionID sessionId) {
        this.session = sessionId.toString();
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
        LOG.warning(session + ": " + text);
    }
}
