package org.opentrade.trade.adapter.fix;

import java.io.IOException;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import quickfix.Message;
import quickfix.MessageQueue;
import quickfix.MessageQueueFactory;
import quickfix.Session;
import quickfix.SessionID;

/**
 * A session's messages that arrived ahead of a gap in its MsgSeqNum(34), waiting for the resend that fills it, at
 * most {@link #MAX_QUEUED}. QuickFIX/J's own queue has no bound and its messages reach neither the application nor
 * the session's rate limit ({@link MessageThrottle}) while they wait: a logged-on client that skipped one number
 * and never filled the gap grew the heap by 183 MB in 3 s (3 000 messages of 30 KB) and stayed logged on. The
 * message past the bound empties the queue and disconnects the session; at its next Logon the client resends.
 * Used on the session's own thread, as QuickFIX/J uses its queue.
 */
final class GapQueue implements MessageQueue {
    private static final Logger LOG = Logger.getLogger(GapQueue.class.getName());
    /** A client sending at its 20 messages a second while a resend of a few seconds runs stays far below. */
    static final int MAX_QUEUED = 256;

    private final SessionID id;
    private final TreeMap<Integer, Message> queued = new TreeMap<>();

    GapQueue(SessionID id) {
        this.id = id;
    }

    static MessageQueueFactory factory() {
        return GapQueue::new;
    }

    @Override
    public void enqueue(int sequence, Message message) {
        if (queued.size() < MAX_QUEUED || queued.containsKey(sequence)) {
            queued.put(sequence, message);
            return;
        }
        queued.clear();
        Session session = Session.lookupSession(id);
        LOG.warning("FIX session " + id + ": more than " + MAX_QUEUED + " messages ahead of a gap in MsgSeqNum"
                + " never filled; disconnected");
        if (session != null) {
            try {
                session.disconnect("more than " + MAX_QUEUED + " messages ahead of a sequence gap", true);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "FIX session " + id + ": disconnect failed", e);
            }
        }
    }

    @Override
    public Message dequeue(int sequence) {
        return queued.remove(sequence);
    }

    @Override
    public void dequeueMessagesUpTo(int sequence) {
        queued.headMap(sequence).clear();
    }

    @Override
    public void clear() {
        queued.clear();
    }

    int size() {
        return queued.size();
    }
}
