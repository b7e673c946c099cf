package org.opentrade.trade.adapter.fix;

import java.util.regex.Pattern;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.mina.SessionConnector;
import quickfix.mina.acceptor.AcceptorSessionProvider;

/**
 * The acceptor's sessions, made on a first Logon as QuickFIX/J's dynamic provider makes them, but
 * bounded: a session (and its store files) exists per SenderCompID a caller chooses, before any key is
 * checked, so without a bound anyone who can reach the port grows the session map and the store
 * directory at will. Here a SenderCompID must be 1-64 of {@code [A-Za-z0-9_.-]} (no path tricks in the
 * store's file names), and no new session is made past {@code maxSessions}; the connection is then
 * dropped as an unknown session. Sessions whose only Logon was refused are removed again
 * ({@link FixAcceptor}), so refused logons do not use up the bound.
 *
 * <p>Called on QuickFIX/J's acceptor threads.
 */
final class BoundedSessionProvider implements AcceptorSessionProvider {
    static final Pattern SENDER_COMP_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final int DEFAULT_MAX_SESSIONS = 10_000;

    private final AcceptorSessionProvider dynamic;
    private final int maxSessions;

    BoundedSessionProvider(AcceptorSessionProvider dynamic, int maxSessions) {
        this.dynamic = dynamic;
        this.maxSessions = maxSessions;
    }

    @Override
    public Session getSession(SessionID id, SessionConnector connector) {
        // The acceptor's view: the counterparty's SenderCompID is this id's TargetCompID.
        if (!SENDER_COMP_ID.matcher(id.getTargetCompID()).matches()) {
            return null;
        }
        if (Session.lookupSession(id) == null && connector.getManagedSessions().size() >= maxSessions) {
            return null;
        }
        return dynamic.getSession(id, connector);
    }
}
