package org.opentrade.exchange.port;

import java.util.concurrent.CompletionStage;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;

/**
 * The exchange as seen from outside its shards. Thread-safe: any thread may submit.
 *
 * <p>{@link #submit} completes only after the command is durable in its shard's journal (per the
 * configured fsync policy) and processed; by then its events have also been handed to the
 * {@link EventPublisher}. Completion happens on a shard thread: do not block in callbacks.
 */
public interface Exchange extends AutoCloseable {

    /** Routes the command to its symbol's shard (TIME_TICK goes to every shard). */
    CompletionStage<CommandResult> submit(Command command);

    /**
     * As {@link #submit(Command)}, recording when the command passed each stage on its shard into
     * {@code stages} (a span's children) before the result completes. An exchange that does not
     * record them leaves {@code stages} untouched; so does a command sent to every shard (TIME_TICK).
     */
    default CompletionStage<CommandResult> submit(Command command, CommandStages stages) {
        return submit(command);
    }

    /** True once recovery finished and every shard accepts commands. */
    boolean isReady();

    @Override
    void close();
}
