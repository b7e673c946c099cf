package org.opentrade.trade.adapter.fix;

import java.io.IOException;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.TimeZone;
import java.util.function.LongSupplier;
import org.opentrade.trade.adapter.redis.RedisFixSessions;
import quickfix.FileStore;
import quickfix.MessageStore;
import quickfix.MessageStoreFactory;
import quickfix.SessionID;

/**
 * QuickFIX/J's {@link MessageStore} on {@link RedisFixSessions}, the acceptor's store with trade-api's Redis store:
 * a session's numbers and sent messages are where any process of the instance finds them, so a standby that
 * takes over on another host continues each session without a sequence reset and answers its resends.
 *
 * <p>The numbers are read once (at creation and {@link #refresh}) and kept in memory, as QuickFIX/J's own stores
 * do; every change is written through before the call returns, so a number or message a client saw is in Redis.
 * A session Redis does not know yet starts from the store {@code previous} makes for it (the file store a data
 * directory kept from before the Redis store), when that one has numbers past 1: no session starts over on the
 * upgrade. A Redis failure is an {@link IOException}, as a file store's disk error.
 */
final class RedisMessageStore implements MessageStore {
    private final RedisFixSessions.Session session;
    private final LongSupplier clockMs;
    private int nextSender;
    private int nextTarget;
    private long createdMs;

    private RedisMessageStore(RedisFixSessions.Session session, LongSupplier clockMs, SessionID id,
                              MessageStoreFactory previous) throws IOException {
        this.session = session;
        this.clockMs = clockMs;
        call(() -> {
            if (previous != null && !session.exists()) {
                MessageStore before = previous.create(id);
                carryOver(before);
                if (before instanceof FileStore files) {
                    files.closeAndDeleteFiles(); // carried over: Redis is the session's store from now on
                }
            }
            load();
        });
    }

    /**
     * The stores of {@code sessions}; {@code previous} (null: none) makes the store a session had before Redis
     * kept them (a file store), read once for a session Redis does not know yet, then deleted.
     */
    static MessageStoreFactory factory(RedisFixSessions sessions, LongSupplier clockMs, MessageStoreFactory previous) {
        return new MessageStoreFactory() {
            @Override
            public MessageStore create(SessionID id) {
                try {
                    return new RedisMessageStore(sessions.session(id.toString()), clockMs, id, previous);
                } catch (IOException e) {
                    throw new IllegalStateException("FIX store of " + id + " could not be opened: " + e.getMessage(), e);
                }
            }
        };
    }

    private void carryOver(MessageStore previous) throws IOException {
        int sender = previous.getNextSenderMsgSeqNum();
        int target = previous.getNextTargetMsgSeqNum();
        if (sender <= 1 && target <= 1) {
            return;
        }
        session.open(previous.getCreationTime().getTime());
        java.util.List<String> kept = new java.util.ArrayList<>();
        previous.get(1, sender - 1, kept);
        for (String text : kept) {
            session.sent(seqOf(text), text);
        }
        session.next(true, sender);
        session.next(false, target);
    }

    /** MsgSeqNum(34) of a message's text. */
    static int seqOf(String text) {
        int at = text.indexOf("\u000134=");
        int end = text.indexOf('\u0001', at + 4);
        return Integer.parseInt(text.substring(at + 4, end));
    }

    private void load() {
        RedisFixSessions.Numbers n = session.open(clockMs.getAsLong());
        nextSender = n.nextSender();
        nextTarget = n.nextTarget();
        createdMs = n.createdMs();
    }

    /** Removes the session's keys from Redis (a refused session that is discarded). */
    void delete() throws IOException {
        call(session::delete);
    }

    @Override
    public boolean set(int sequence, String message) throws IOException {
        call(() -> session.sent(sequence, message));
        return true;
    }

    @Override
    public void get(int startSequence, int endSequence, Collection<String> messages) throws IOException {
        int to = Math.min(endSequence, nextSender - 1); // never past what was sent, whatever a ResendRequest asks
        if (startSequence > to) {
            return;
        }
        call(() -> messages.addAll(session.sent(startSequence, to)));
    }

    @Override
    public synchronized int getNextSenderMsgSeqNum() {
        return nextSender;
    }

    @Override
    public synchronized int getNextTargetMsgSeqNum() {
        return nextTarget;
    }

    @Override
    public synchronized void setNextSenderMsgSeqNum(int next) throws IOException {
        call(() -> session.next(true, next));
        nextSender = next;
    }

    @Override
    public synchronized void setNextTargetMsgSeqNum(int next) throws IOException {
        call(() -> session.next(false, next));
        nextTarget = next;
    }

    @Override
    public synchronized void incrNextSenderMsgSeqNum() throws IOException {
        setNextSenderMsgSeqNum(nextSender + 1);
    }

    @Override
    public synchronized void incrNextTargetMsgSeqNum() throws IOException {
        setNextTargetMsgSeqNum(nextTarget + 1);
    }

    @Override
    public synchronized Date getCreationTime() {
        return new Date(createdMs);
    }

    @Override
    public synchronized Calendar getCreationTimeCalendar() {
        Calendar c = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        c.setTimeInMillis(createdMs);
        return c;
    }

    @Override
    public synchronized void reset() throws IOException {
        long now = clockMs.getAsLong();
        call(() -> session.reset(now));
        nextSender = 1;
        nextTarget = 1;
        createdMs = now;
    }

    @Override
    public synchronized void refresh() throws IOException {
        call(this::load);
    }

    private interface RedisCall {
        void run() throws IOException;
    }

    /** Runs {@code c}, a Redis failure (an unchecked exception of the connection) becoming an IOException. */
    private static void call(RedisCall c) throws IOException {
        try {
            c.run();
        } catch (RuntimeException e) {
            throw new IOException("redis: " + e.getMessage(), e);
        }
    }
}
