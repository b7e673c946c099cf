package org.opentrade.exchange.port;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Who leads one group of exchange shards, held in an existing consensus engine (never in this
 * process's memory): a fenced lock and one compare-and-set register beside it. The lock says which
 * process may lead; its fencing token orders leaders (a later holder always gets a larger one, even
 * when the earlier one died holding it); the register records which process's data holds every
 * acknowledged command ({@code domain.failover.LeaderRecord}), so a process that gets the lock but
 * lacks that data stands by instead of leading.
 *
 * <p>Every call may block on the consensus engine: call it off the event loop and off the shard
 * threads' hot path. The lock belongs to the process (not to the calling thread) and is released when
 * the process dies: the engine notices its silence within its session time-to-live.
 */
public interface LeadershipRegister extends AutoCloseable {

    /**
     * Takes the group's lock, waiting up to {@code wait} while another process holds it.
     *
     * @return the fencing token of this hold: larger than that of every earlier holder; empty when the
     *         lock stayed taken
     */
    OptionalLong tryLock(Duration wait);

    /** Gives the lock up when this process holds it; nothing otherwise. */
    void unlock();

    /** The register's value; null while nothing was ever written. */
    String read();

    /**
     * Replaces the register's value with {@code update} if it is {@code expect} (null: never written),
     * atomically in the consensus engine.
     *
     * @return false when the value was something else (another process wrote first)
     */
    boolean compareAndSet(String expect, String update);

    @Override
    void close();
}
