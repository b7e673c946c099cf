package org.opentrade.trade.adapter.fix;

import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.core.session.IoSession;
import quickfix.LogUtil;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.ThreadedSocketAcceptor;
import quickfix.mina.EventHandlingStrategy;
import quickfix.mina.SessionConnector;

/**
 * One thread per session, as QuickFIX/J's ThreadPerSessionEventHandlingStrategy, without its two races on a
 * client that reconnects under the same SenderCompID right after its connection ended:
 * <ul>
 *   <li><b>A stale END_OF_STREAM.</b> QuickFIX/J queues END_OF_STREAM for the session, not for the connection
 *   that closed, and {@code Session.disconnect} then drops whatever connection the session has. When the session
 *   itself ended the old connection (Logout, refused Logon, {@code end}), the socket's close event comes after the
 *   session let go of it: a new connection may have logged on meanwhile, and the old END_OF_STREAM closed it
 *   (the client's Logon answered by a closed socket, or its session left logged on with no connection). Here an
 *   END_OF_STREAM is acted on only if the session still has a connection and no open socket holds it.</li>
 *   <li><b>A dying dispatcher.</b> QuickFIX/J's thread leaves after END_OF_STREAM by draining its queue once and
 *   only then leaving the map: a message queued in between is never processed. Here a thread leaves only in the
 *   same atomic step (per session) that finds its queue empty, so a message is either queued before it (and
 *   processed) or goes to a new thread.</li>
 * </ul>
 */
final class SessionDispatchers implements EventHandlingStrategy {
    private final ThreadedSocketAcceptor acceptor;
    private final ConcurrentHashMap<SessionID, Dispatcher> dispatchers = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    SessionDispatchers(ThreadedSocketAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    @Override
    public void onMessage(Session session, Message message) {
        dispatchers.compute(session.getSessionID(), (id, d) -> {
            if (d == null) {
                d = new Dispatcher(session);
                d.thread.start();
            }
            if (message != null) {
                d.queue.add(message);
            }
            return d;
        });
    }

    @Override
    public SessionConnector getSessionConnector() {
        return acceptor;
    }

    @Override
    public int getQueueSize() {
        int n = 0;
        for (Dispatcher d : dispatchers.values()) {
            n += d.queue.size();
        }
        return n;
    }

    @Override
    public int getQueueSize(SessionID id) {
        Dispatcher d = dispatchers.get(id);
        return d == null ? 0 : d.queue.size();
    }

    /** Lets the threads finish what is queued and leave; waits up to {@code millis} for them. */
    void stop(long millis) {
        stopping = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Dispatcher d : new ArrayList<>(dispatchers.values())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                d.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether an open connection (not the one whose end this is) holds {@code session}: its END_OF_STREAM is stale. */
    private boolean heldByAnOpenConnection(Session session) {
        for (IoAcceptor endpoint : acceptor.getEndpoints()) {
            for (IoSession socket : endpoint.getManagedSessions().values()) {
                if (socket.getAttribute(SessionConnector.QF_SESSION) == session && socket.isConnected()
                        && !socket.isClosing()) {
                    return true;
                }
            }
        }
        return false;
    }

    private final class Dispatcher implements Runnable {
        final Session session;
        final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        /** An END_OF_STREAM was seen: leave once the queue is empty. */
        private boolean ended;

        Dispatcher(Session session) {
            this.session = session;
            this.thread = new Thread(this, "QF/J Session dispatcher: " + session.getSessionID());
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Message m;
                try {
                    m = queue.poll(THREAD_WAIT_FOR_MESSAGE_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    ended = true;
                    m = null;
                }
                if (m != null) {
                    process(m);
                }
                if ((ended || stopping) && leaveIfIdle()) {
                    return;
                }
            }
        }

        private void process(Message m) {
            try {
                if (m == END_OF_STREAM) {
                    ended = true;
                    // No connection: the session let go of the closed one itself (and reset its state then). A
                    // connection held by an open socket: a newer one (QuickFIX/J takes a Logon only while the
                    // session has none, and sets the socket's session before the connection). Either way the
                    // closed connection is not the session's: disconnecting would drop the newer one.
                    if (!session.hasResponder() || heldByAnOpenConnection(session)) {
                        session.getLog().onEvent("END_OF_STREAM of a connection the session no longer has: ignored");
                        return;
                    }
                }
                session.next(m);
            } catch (Throwable e) {
                LogUtil.logThrowable(session.getSessionID(), "Error during message processing", e);
            }
        }

        /** Leaves the map if the queue is empty, atomically with {@link #onMessage}'s queuing. */
        private boolean leaveIfIdle() {
            boolean[] left = {false};
            dispatchers.computeIfPresent(session.getSessionID(), (id, d) -> {
                if (d == this && queue.isEmpty()) {
                    left[0] = true;
                    return null;
                }
                return d;
            });
            return left[0];
        }
    }
}
