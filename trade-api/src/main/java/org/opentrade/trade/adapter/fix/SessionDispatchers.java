package org.opentrade.trade.adapter.fix;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import quickfix.LogUtil;
import quickfix.Message;
import quickfix.Responder;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.mina.EventHandlingStrategy;
import quickfix.mina.SessionConnector;

/**
 * One thread per session, as QuickFIX/J's ThreadPerSessionEventHandlingStrategy (a queue of
 * {@value #QUEUE_CAPACITY} messages per session; a full one holds up the reading connection), without its two
 * races on a client that reconnects under the same SenderCompID right after its connection ended:
 * <ul>
 *   <li><b>A stale END_OF_STREAM.</b> QuickFIX/J queues a connection's close for the session, not for the
 *   connection, and {@code Session.disconnect} then drops whatever connection the session has by then. When the
 *   session had already let go of the closed one (a Logout, a refused Logon, {@code end}) and the client was
 *   quick, the late close took its new connection down: the Logon answered by a closed socket, or the session
 *   left logged on with no connection. Here a close carries its connection's remote address ({@link
 *   FixConnectionGuard} names it while QuickFIX/J queues the close, on the closing connection's I/O thread) and
 *   is acted on only when that connection is still the session's when the close's turn comes.</li>
 *   <li><b>A dying dispatcher.</b> QuickFIX/J's thread leaves after END_OF_STREAM by draining its queue once and
 *   only then leaving the map: a message queued in between was never processed. Here a thread leaves only in the
 *   step (atomic per session) that finds nothing queued nor being queued, so a message is processed by it or
 *   goes to a new thread.</li>
 * </ul>
 * A dispatcher serves one {@link Session} object: a session removed and created again under the same id gets a
 * new one (the old one finishes its queue and leaves).
 */
final class SessionDispatchers implements EventHandlingStrategy {
    /** QuickFIX/J's own per-session bound (ThreadedSocketAcceptor's default). */
    static final int QUEUE_CAPACITY = 10_000;
    /** The remote address of the connection whose close is being queued on this I/O thread, else null. */
    private static final ThreadLocal<String> CLOSING = new ThreadLocal<>();

    private final SessionConnector connector;
    private final ConcurrentHashMap<SessionID, Dispatcher> dispatchers = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    SessionDispatchers(SessionConnector connector) {
        this.connector = connector;
    }

    /**
     * Names {@code remote} as the connection whose close QuickFIX/J queues next on this I/O thread (null: none);
     * {@link FixConnectionGuard} sets it around the rest of the filter chain's sessionClosed and clears it after.
     */
    static void closing(String remote) {
        if (remote == null) {
            CLOSING.remove();
        } else {
            CLOSING.set(remote);
        }
    }

    @Override
    public void onMessage(Session session, Message message) {
        Object item = message == END_OF_STREAM ? new Closed(CLOSING.get()) : message;
        Dispatcher d = dispatchers.compute(session.getSessionID(), (id, current) -> {
            Dispatcher use = current != null && current.session == session ? current : new Dispatcher(session);
            if (use != current) {
                use.thread.start();
            }
            if (item != null) {
                use.queuing.incrementAndGet(); // counted before the map is let go: the thread cannot leave meanwhile
            }
            return use;
        });
        if (item == null) {
            return;
        }
        try {
            d.queue.put(item); // outside compute: a full queue holds up this connection, not the map
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.getLog().onErrorEvent("interrupted while queuing a message: " + e);
        } finally {
            d.queuing.decrementAndGet();
        }
    }

    @Override
    public SessionConnector getSessionConnector() {
        return connector;
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

    /** A connection of the session closed; {@code remote} is its remote address (null: not known, act on it). */
    private record Closed(String remote) {
    }

    private final class Dispatcher implements Runnable {
        final Session session;
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        /** Items counted in {@link #onMessage} and not yet in the queue. */
        final AtomicInteger queuing = new AtomicInteger();
        final Thread thread;
        /** A close was processed: leave once nothing is queued. */
        private boolean ended;

        Dispatcher(Session session) {
            this.session = session;
            this.thread = new Thread(this, "QF/J Session dispatcher: " + session.getSessionID());
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Object item;
                try {
                    item = queue.poll(THREAD_WAIT_FOR_MESSAGE_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    ended = true;
                    item = null;
                }
                if (item != null) {
                    process(item);
                }
                if ((ended || stopping) && leaveIfIdle()) {
                    return;
                }
            }
        }

        private void process(Object item) {
            try {
                if (item instanceof Closed closed) {
                    ended = true;
                    Responder current = session.getResponder();
                    if (current == null || closed.remote() != null
                            && !Objects.equals(closed.remote(), current.getRemoteAddress())) {
                        // The session let go of the closed connection itself (and may hold a newer one): not its end.
                        session.getLog().onEvent("Close of " + closed.remote() + ", no longer this session's"
                                + " connection: ignored");
                        return;
                    }
                    session.next(END_OF_STREAM);
                    return;
                }
                session.next((Message) item);
            } catch (Throwable e) {
                LogUtil.logThrowable(session.getSessionID(), "Error during message processing", e);
            }
        }

        /**
         * Leaves when nothing is queued or being queued: out of the map in the same atomic step, so what comes
         * next starts a new thread. A dispatcher already replaced (its session object was replaced) just leaves.
         */
        private boolean leaveIfIdle() {
            boolean[] left = {false};
            dispatchers.compute(session.getSessionID(), (id, d) -> {
                boolean idle = queue.isEmpty() && queuing.get() == 0;
                if (d != this) {
                    left[0] = idle;
                    return d;
                }
                if (idle) {
                    left[0] = true;
                    return null;
                }
                return d;
            });
            return left[0];
        }
    }
}
