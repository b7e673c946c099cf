package org.opentrade.exchange.port;

import java.util.List;
import org.opentrade.exchange.model.Command;

/**
 * Where a leading shard hands each committed batch of commands before its engine runs them: the
 * standby's copy of the journal (synchronous replication, as a database's synchronous standby).
 * Called on the shard thread, once per batch, after the local journal commit.
 */
public interface ReplicaSink {

    /**
     * Hands the commands journaled with sequences {@code firstSeq, firstSeq + 1, ...} to the standby.
     * Returns once they may run and be acknowledged: the standby that is in sync has them, or no
     * standby is in sync (and the leadership register says so, so no standby can take over without
     * them). Blocks the shard thread up to the replication timeout.
     *
     * @throws FencedException when another process leads the shard now: none of the batch may run
     */
    void replicate(int shard, long firstSeq, List<Command> commands);

    /** Thrown when this process has been deposed: its writes are refused from now on. */
    final class FencedException extends RuntimeException {
        public FencedException(String message) {
            super(message);
        }
    }
}
