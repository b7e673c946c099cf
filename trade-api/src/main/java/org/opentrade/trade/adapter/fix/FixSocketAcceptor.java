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
 * is left unused; its {@code stop} stops it (nothing to stop) and then this stops ours.
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

    @Override
    public void stop(boolean forceDisconnect) {
        super.stop(forceDisconnect);
        SessionDispatchers d = dispatchers;
        if (d != null) {
            d.stop(STOP_WAIT_MILLIS);
        }
    }
}
