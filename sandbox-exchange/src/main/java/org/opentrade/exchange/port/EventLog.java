package org.opentrade.exchange.port;

import java.util.List;
import java.util.function.Consumer;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * The published history of one shard: every event, in sequence order, gap-free from 1, kept so
 * that consumers can resume after a sequence. Written by the shard thread only; read by any thread
 * (feed replay requests) up to {@link #readableSeq()}.
 *
 * <p>Events are derived from the command journal, so the log needs no fsync of its own on the hot
 * path: a lost tail is recomputed on recovery. {@link #force} is called before a snapshot so that
 * the log always covers every event a kept snapshot reflects.
 */
public interface EventLog extends AutoCloseable {

    /** Appends events whose sequences continue {@link #lastSeq()} without a gap. Buffered. */
    void append(List<ExchangeEvent> events);

    /** Writes what was appended, making it readable by other threads. */
    void commit();

    /** Forces everything committed to stable storage. */
    void force();

    /** Sequence of the last appended event (0 when none). */
    long lastSeq();

    /** Sequence of the last committed event: what readers may see. Any thread. */
    long readableSeq();

    /** Oldest sequence still kept (1 before any pruning). Any thread. */
    long firstSeq();

    /**
     * Hands up to {@code max} committed events with sequence greater than {@code afterSeq} to
     * {@code consumer}, in order, and returns how many. Any thread. Returns fewer (possibly 0) when
     * the end is reached; callers check {@link #firstSeq()} first for pruned history.
     */
    int read(long afterSeq, int max, Consumer<ExchangeEvent> consumer);

    /**
     * Forgets every event and continues the numbering after {@code seq} (recovery only: the history
     * was lost, e.g. data written before the event log existed). Readers then find nothing before
     * {@code seq + 1}.
     */
    void resetAfter(long seq);

    /**
     * Adds {@code events} just before {@link #firstSeq()}: a standby's history from before its image, copied
     * from the leader, so that consumers further behind than the image continue from it after a takeover.
     * They must be consecutive and end at {@code firstSeq() - 1}; otherwise nothing is added
     * (IllegalArgumentException). Any thread: the writer may append meanwhile.
     */
    void prependHistory(List<ExchangeEvent> events);

    /** Drops events after {@code seq} (recovery only: the journal ended earlier than the log). */
    void truncateAfter(long seq);

    /**
     * Forgets events up to {@code seq} where the storage allows (a file log deletes whole segments,
     * so some older events may stay). Never forgets events after {@code seq}.
     */
    void deleteUpTo(long seq);

    /** Time (epoch ms, the engine's clock) of the event with sequence {@code seq}, or -1 if not kept. Any thread. */
    long timestampOf(long seq);

    @Override
    void close();
}
