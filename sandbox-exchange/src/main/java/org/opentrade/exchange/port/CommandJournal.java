package org.opentrade.exchange.port;

import java.util.function.Consumer;
import org.opentrade.exchange.model.Command;

/**
 * The event-sourcing journal of one shard: every command, in processing order, numbered from 1.
 * Appends are buffered; {@link #commit} makes everything appended so far durable according to the
 * configured fsync policy (group commit: the shard calls it once per batch). Single writer: the
 * shard thread.
 */
public interface CommandJournal extends AutoCloseable {

    /** Appends a command and returns its journal sequence number. Not durable until {@link #commit}. */
    long append(Command command);

    /** Makes all appended commands durable (write + fsync per policy). */
    void commit();

    /** Sequence number of the last appended command (0 when empty). */
    long lastSeq();

    /** Oldest sequence still kept ({@code lastSeq() + 1} when nothing is kept; 1 before any pruning). */
    long firstSeq();

    /**
     * Reads back every intact command with sequence greater than {@code afterSeq}, in order. A torn or
     * corrupt tail (a crash mid-write) ends the replay and is cut off, so appends continue after the
     * last intact record.
     */
    void replay(long afterSeq, Consumer<Command> consumer);

    /**
     * Forgets commands up to {@code seq} where the storage allows (a file journal deletes whole
     * segments, so some older commands may stay): called once a kept snapshot covers them. Never
     * forgets commands after {@code seq}.
     */
    void deleteUpTo(long seq);

    /**
     * Forgets every command and continues the numbering after {@code seq}: a standby installs a
     * leader's snapshot at journal seq {@code seq} and then appends the leader's commands after it.
     * Durable when it returns.
     */
    void resetAfter(long seq);

    @Override
    void close();
}
