package org.opentrade.exchange.adapter.file;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.port.EventLog;

/**
 * A shard's event history on local files: a {@link SegmentedLog} of {@link EventCodec} records in
 * segments {@code events-<firstSeq>.log}. Commits write without fsync (events are recomputed from
 * the journal after a crash); {@link #force} runs before each snapshot.
 *
 * <p>One writer (the shard thread); {@link #read}, {@link #readableSeq}, {@link #firstSeq} and
 * {@link #timestampOf} from any thread.
 */
public final class FileEventLog implements EventLog {
    /** Segment size before rolling: retention deletes whole segments, so smaller means finer pruning. */
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;

    private final int shard;
    private final SegmentedLog log;

    private FileEventLog(int shard, SegmentedLog log) {
        this.shard = shard;
        this.log = log;
    }

    public static FileEventLog open(Path dir, int shard) {
        return open(dir, shard, DEFAULT_SEGMENT_BYTES);
    }

    public static FileEventLog open(Path dir, int shard, long segmentBytes) {
        return new FileEventLog(shard, SegmentedLog.open(dir, "events-", EventCodec.MAGIC, EventCodec.VERSION, -1,
                EventCodec.MAX_PAYLOAD, FsyncPolicy.NONE, segmentBytes));
    }

    /** Appends the batch, or nothing of it when a sequence does not continue the log by exactly one. */
    @Override
    public void append(List<ExchangeEvent> events) {
        long expected = log.lastSeq() + 1;
        for (ExchangeEvent e : events) {
            if (e.seq() != expected++) {
                throw new IllegalArgumentException("event seq " + e.seq() + " does not continue the log at "
                        + (expected - 1) + "; nothing of the batch was appended");
            }
        }
        for (ExchangeEvent e : events) {
            EventCodec.write(log.beginAppend(EventCodec.maxPayload(e)), e);
            log.endAppend();
        }
    }

    @Override
    public void prependHistory(List<ExchangeEvent> events) {
        List<java.nio.ByteBuffer> payloads = new java.util.ArrayList<>(events.size());
        for (ExchangeEvent e : events) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + EventCodec.maxPayload(e));
            b.putLong(e.seq());
            EventCodec.write(b, e);
            b.flip();
            payloads.add(b);
        }
        log.prepend(events.isEmpty() ? 0 : events.get(0).seq(), payloads);
    }

    @Override
    public void commit() {
        log.commit();
    }

    @Override
    public void force() {
        log.force();
    }

    @Override
    public long lastSeq() {
        return log.lastSeq();
    }

    @Override
    public long readableSeq() {
        return log.committedSeq();
    }

    @Override
    public long firstSeq() {
        return log.firstSeq();
    }

    @Override
    public int read(long afterSeq, int max, Consumer<ExchangeEvent> consumer) {
        if (max <= 0) {
            return 0;
        }
        int[] n = {0};
        log.read(afterSeq, (seq, version, payload) -> {
            consumer.accept(EventCodec.read(seq, shard, payload, version));
            return ++n[0] < max;
        });
        return n[0];
    }

    @Override
    public void resetAfter(long seq) {
        log.resetAfter(seq);
    }

    @Override
    public void truncateAfter(long seq) {
        log.truncateAfter(seq);
    }

    @Override
    public void deleteUpTo(long seq) {
        log.deleteUpTo(seq);
    }

    @Override
    public long timestampOf(long seq) {
        if (seq < log.firstSeq() || seq > log.committedSeq()) {
            return -1;
        }
        long[] ts = {-1};
        log.read(seq - 1, (s, version, payload) -> {
            if (s == seq) {
                ts[0] = EventCodec.read(s, shard, payload, version).timestamp();
            }
            return false;
        });
        return ts[0];
    }

    /** Bytes of the kept segments. Any thread. */
    public long diskBytes() {
        return log.diskBytes();
    }

    @Override
    public void close() {
        log.close();
    }
}
