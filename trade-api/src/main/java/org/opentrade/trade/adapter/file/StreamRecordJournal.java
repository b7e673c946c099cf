package org.opentrade.trade.adapter.file;

import org.opentrade.trade.port.StreamJournal;

/**
 * A {@link StreamJournal} that keeps {@link StreamRecords} bodies, one per call, in order: what differs between
 * the journals (file segments, a Redis list) is where {@link #add} puts them.
 */
public abstract class StreamRecordJournal implements StreamJournal {

    /** Records one body after the ones before; called with this journal's lock held. */
    protected abstract void add(byte[] body);

    @Override
    public synchronized void generation(String epoch, long timeMs) {
        add(StreamRecords.generation(epoch, timeMs));
    }

    @Override
    public synchronized void barrier(long timeMs) {
        add(StreamRecords.barrier(timeMs));
    }

    @Override
    public synchronized void frame(String account, long seq, long timeMs, byte[] wire) {
        add(StreamRecords.frame(account, seq, timeMs, wire));
    }
}
