package org.opentrade.exchange.adapter.file;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.port.CommandJournal;

/**
 * The shard journal on local files: a {@link SegmentedLog} of {@link JournalCodec} records in
 * segments {@code journal-<firstSeq>.log}. {@link #commit} writes the batch with one {@code write}
 * and, under {@link FsyncPolicy#BATCH}, one {@code force}: group commit, so the cost of durability
 * is shared by every command of a batch.
 *
 * <p>Single writer: the shard thread. On open, a torn or corrupt tail of the last segment (a crash
 * mid-write) is cut off at the last intact record. Segments written before the format carried a
 * version (no header) are still read.
 */
public final class FileCommandJournal implements CommandJournal {
    /** Segment size before rolling: larger segments mean fewer files, coarser pruning. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    private final SegmentedLog log;

    private FileCommandJournal(SegmentedLog log) {
        this.log = log;
    }

    public static FileCommandJournal open(Path dir, FsyncPolicy policy) {
        return open(dir, policy, DEFAULT_SEGMENT_BYTES);
    }

    public static FileCommandJournal open(Path dir, FsyncPolicy policy, long segmentBytes) {
        return new FileCommandJournal(SegmentedLog.open(dir, "journal-", JournalCodec.MAGIC, JournalCodec.VERSION,
                JournalCodec.LEGACY_VERSION, JournalCodec.MAX_PAYLOAD, policy, segmentBytes));
    }

    @Override
    public long append(Command command) {
        JournalCodec.write(log.beginAppend(JournalCodec.maxPayload(command)), command);
        return log.endAppend();
    }

    @Override
    public void commit() {
        log.commit();
    }

    @Override
    public long lastSeq() {
        return log.lastSeq();
    }

    @Override
    public long firstSeq() {
        return log.firstSeq();
    }

    /** Sequence of the last command known to be written (and forced, under BATCH). */
    public long committedSeq() {
        return log.committedSeq();
    }

    @Override
    public void replay(long afterSeq, Consumer<Command> consumer) {
        log.read(afterSeq, (seq, version, payload) -> {
            consumer.accept(JournalCodec.read(payload, version));
            return true;
        });
    }

    /**
     * Deletes whole segments whose every record is at or before {@code seq} (covered by a snapshot).
     * The active segment is never deleted.
     */
    @Override
    public void deleteUpTo(long seq) {
        log.deleteUpTo(seq);
    }

    /** Deletes every segment and starts a new one numbered from {@code seq + 1}. */
    @Override
    public void resetAfter(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("cannot reset the journal after a negative seq: " + seq);
        }
        log.resetAfter(seq);
    }

    /** Bytes of the kept segments. */
    public long diskBytes() {
        return log.diskBytes();
    }

    @Override
    public void close() {
        log.close();
    }
}
