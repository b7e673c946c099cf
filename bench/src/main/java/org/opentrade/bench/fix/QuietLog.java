package org.opentrade.bench.fix;

import quickfix.Log;
import quickfix.LogFactory;
import quickfix.SessionID;

/**
 * QuickFIX/J's session log for the benchmark, as quiet as trade-api's acceptor's: no message is logged
 * (on both sides of both targets, so logging costs nothing in either), session errors go to stderr.
 */
final class QuietLog implements Log {
    private final String session;

    private QuietLog(SessionID id) {
        this.session = id.toString();
    }

    static LogFactory factory() {
        return QuietLog::new;
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
    }

    @Override
    public void onErrorEvent(String text) {
        System.err.println("FIX " + session + ": " + text);
    }
}
