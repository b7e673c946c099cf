package org.opentrade.trade.adapter.fix;

import org.quickfixj.QFJException;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultSessionFactory;
import quickfix.DefaultSessionScheduleFactory;
import quickfix.LogFactory;
import quickfix.MessageFactory;
import quickfix.MessageStoreFactory;
import quickfix.Session;
import quickfix.SessionFactory;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.mina.SessionConnector;
import quickfix.mina.acceptor.DynamicAcceptorSessionProvider;

/**
 * QuickFIX/J's dynamic sessions from the template, made with {@link GapQueue}s: its provider builds its sessions
 * with the unbounded in-memory queue and takes no queue factory. The same steps as its {@code getSession}, with
 * our factory.
 */
final class GapBoundSessionProvider extends DynamicAcceptorSessionProvider {
    private final SessionFactory sessions;

    GapBoundSessionProvider(SessionSettings settings, SessionID template, Application application,
                            MessageStoreFactory store, LogFactory log, MessageFactory messages) {
        super(settings, template, application, store, log, messages);
        this.sessions = new DefaultSessionFactory(application, store, GapQueue.factory(), log, messages,
                new DefaultSessionScheduleFactory());
    }

    @Override
    public synchronized Session getSession(SessionID id, SessionConnector connector) {
        Session session = Session.lookupSession(id);
        if (session != null) {
            return session;
        }
        try {
            SessionID templateId = lookupTemplateID(id);
            if (templateId == null) {
                throw new ConfigError("Unable to find a session template for " + id);
            }
            SessionSettings own = new SessionSettings();
            copySettings(own, settings.getDefaultProperties());
            copySettings(own, settings.getSessionProperties(templateId));
            own.setString("BeginString", id.getBeginString());
            own.setString("SenderCompID", id.getSenderCompID());
            optionallySetValue(own, "SenderSubID", id.getSenderSubID());
            optionallySetValue(own, "SenderLocationID", id.getSenderLocationID());
            own.setString("TargetCompID", id.getTargetCompID());
            optionallySetValue(own, "TargetSubID", id.getTargetSubID());
            optionallySetValue(own, "TargetLocationID", id.getTargetLocationID());
            session = sessions.create(id, own);
            connector.addDynamicSession(session);
            return session;
        } catch (ConfigError e) {
            throw new QFJException(e);
        }
    }
}
