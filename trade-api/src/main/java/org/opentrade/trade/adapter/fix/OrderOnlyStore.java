package org.opentrade.trade.adapter.fix;

import java.io.Closeable;
import java.io.IOException;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.Set;
import quickfix.MessageStore;
import quickfix.MessageStoreFactory;
import quickfix.SessionID;

/**
 * The session's message store without market and reference data: MarketDataSnapshotFullRefresh (W),
 * MarketDataIncrementalRefresh (X), MarketDataRequestReject (Y) and SecurityList (y) are numbered and
 * sent, but their text is not kept. QuickFIX/J keeps every message it sends for a ResendRequest, for the
 * session's life (sequence numbers never reset here), so a full-book subscription wrote each of its
 * increments to disk, at the market's pace, for as long as the session lived; and a resend handed the
 * client stale books. A resend finds no text for their numbers and fills them with a SequenceReset-GapFill,
 * FIX's way for messages not worth sending again ({@link FixApplication#toApp} refuses the ones an older
 * build kept); the client asks for a new snapshot. Everything else (ExecutionReports, rejects) is kept as
 * before. Sequence numbers are the wrapped store's.
 */
final class OrderOnlyStore implements MessageStore, Closeable {
    /** Message types sent but never kept nor resent. */
    static final Set<String> NOT_KEPT = Set.of("W", "X", "Y", "y");

    private final MessageStore store;

    private OrderOnlyStore(MessageStore store) {
        this.store = store;
    }

    /** {@code factory}'s stores, keeping no market or reference data. */
    static MessageStoreFactory over(MessageStoreFactory factory) {
        return new MessageStoreFactory() {
            @Override
            public MessageStore create(SessionID sessionID) {
                return new OrderOnlyStore(factory.create(sessionID));
            }
        };
    }

    /** The message type (tag 35) of a message's text, or "" when it has none. */
    static String typeOf(String message) {
        int at = message.startsWith("35=") ? 0 : message.indexOf("\u000135=");
        if (at < 0) {
            return "";
        }
        int from = at == 0 ? 3 : at + 4;
        int end = message.indexOf('\u0001', from);
        return message.substring(from, end < 0 ? message.length() : end);
    }

    /** The store under this one (the acceptor's own bookkeeping: reset, delete). */
    MessageStore underlying() {
        return store;
    }

    @Override
    public boolean set(int sequence, String message) throws IOException {
        return NOT_KEPT.contains(typeOf(message)) || store.set(sequence, message);
    }

    @Override
    public void get(int startSequence, int endSequence, Collection<String> messages) throws IOException {
        store.get(startSequence, endSequence, messages);
    }

    @Override
    public int getNextSenderMsgSeqNum() throws IOException {
        return store.getNextSenderMsgSeqNum();
    }

    @Override
    public int getNextTargetMsgSeqNum() throws IOException {
        return store.getNextTargetMsgSeqNum();
    }

    @Override
    public void setNextSenderMsgSeqNum(int next) throws IOException {
        store.setNextSenderMsgSeqNum(next);
    }

    @Override
    public void setNextTargetMsgSeqNum(int next) throws IOException {
        store.setNextTargetMsgSeqNum(next);
    }

    @Override
    public void incrNextSenderMsgSeqNum() throws IOException {
        store.incrNextSenderMsgSeqNum();
    }

    @Override
    public void incrNextTargetMsgSeqNum() throws IOException {
        store.incrNextTargetMsgSeqNum();
    }

    @Override
    public Date getCreationTime() throws IOException {
        return store.getCreationTime();
    }

    @Override
    public Calendar getCreationTimeCalendar() throws IOException {
        return store.getCreationTimeCalendar();
    }

    @Override
    public void reset() throws IOException {
        store.reset();
    }

    @Override
    public void refresh() throws IOException {
        store.refresh();
    }

    /** Closes the wrapped store when it holds files (QuickFIX/J closes a session's store when it is Closeable). */
    @Override
    public void close() throws IOException {
        if (store instanceof Closeable files) {
            files.close();
        }
    }
}
