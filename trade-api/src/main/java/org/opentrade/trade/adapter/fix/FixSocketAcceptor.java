package org.opentrade.trade.adapter.fix;

import quickfix.Application;
import quickfix.ConfigError;
import quickfix.LogFactory;
import quickfix.MessageFactory;
import quickfix.MessageStoreFactory;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketAcceptor;
import quickfix.mina.EventHandlingStrategy;

/**
 * QuickFIX/J's threaded acceptor with {@link SessionDispatchers} in place of its ThreadPerSessionEventHandlingStrategy
 * (whose thread can drop a reconnecting client's Logon or close its new connection). The superclass's own strategy
 * is left unused (its threads start only when it is given messages). Relies on QuickFIX/J 3.0's acceptor building
 * its connection handler from {@link #getEventHandlingStrategy()}, and on the order of its stop: check both on an
 * upgrade.
 */
final class FixSocketAcceptor extends ThreadedSocketAcceptor {
    /** How long {@link #stop} waits for the dispatchers to finish what is queued. */
    private static final long STOP_WAIT_MILLIS = 5_000;
    private volatile SessionDispatchers dispatchers;

    FixSocketAcceptor(Application application, MessageStoreFactory store, SessionSettings settings, LogFactory log,
                      MessageFactory messages) throws ConfigError {
        super(application, store, settings, log, messages);
    }

    @Override
    protected EventHandlingStrategy getEventHandlingStrategy() {
        SessionDispatchers d = dispatchers;
        if (d == null) {
            synchronized (this) {
                if (dispatchers == null) {
                    dispatchers = new SessionDispatchers(this);
                }
                d = dispatchers;
            }
        }
        return d;
    }

    /**
     * ThreadedSocketAcceptor's stop, with our threads drained where it drains its own: after the sessions are
     * logged out and no more connections are taken, before the sessions (their stores and logs) are closed, so
     * nothing queued runs on a closed session. Those first steps are QuickFIX/J's own (protected); the
     * superclass's stop then finds them done (no endpoints left, no session logged on) and closes the sessions
     * (its unregistering is not ours to call).
     */
    @Override
    public void stop(boolean forceDisconnect) {
        logoutAllSessions(forceDisconnect);
        stopAcceptingConnections();
        stopSessionTimer();
        SessionDispatchers d = dispatchers;
        if (d != null) {
            d.stop(STOP_WAIT_MILLIS);
        }
        super.stop(forceDisconnect);
    }
}
