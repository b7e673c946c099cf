package org.opentrade.exchange.adapter.memory;

import java.util.Objects;
import java.util.function.Consumer;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.port.CommandJournal;

/**
 * A command journal held in memory: the "no disk" option (tests, benchmarks, a sandbox that needs no
 * recovery). Nothing survives the process, so {@link #commit} has nothing to make durable and
 * {@link #close} keeps the commands. Memory grows with the journal and is bounded only by
 * {@link #deleteUpTo}, which forgets exactly the commands asked for.
 *
 * <p>Single-threaded, as the port says: the shard thread appends, replays and prunes. Replay hands
 * the stored commands themselves (records, immutable); nothing is copied.
 */
public final class InMemoryCommandJournal implements CommandJournal {
    private final SeqWindow<Command> commands = new SeqWindow<>();

    @Override
    public long append(Command command) {
        return commands.add(Objects.requireNonNull(command, "command"));
    }

    /** Nothing to do: an appended command is as durable as this journal gets. */
    @Override
    public void commit() {
    }

    @Override
    public long lastSeq() {
        return commands.lastSeq();
    }

    @Override
    public long firstSeq() {
        return commands.firstSeq();
    }

    /** Hands every kept command after {@code afterSeq}, committed or not (they are the same here). */
    @Override
    public void replay(long afterSeq, Consumer<Command> consumer) {
        for (long seq = Math.max(afterSeq + 1, commands.firstSeq()); seq <= commands.lastSeq(); seq++) {
            consumer.accept(commands.get(seq));
        }
    }

    /** Forgets exactly the commands up to {@code seq}. */
    @Override
    public void deleteUpTo(long seq) {
        commands.forgetUpTo(seq);
    }

    @Override
    public void resetAfter(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("cannot reset the journal after a negative seq: " + seq);
        }
        commands.restartAfter(seq);
    }

    /** Nothing to release; the commands stay readable. */
    @Override
    public void close() {
    }
}
