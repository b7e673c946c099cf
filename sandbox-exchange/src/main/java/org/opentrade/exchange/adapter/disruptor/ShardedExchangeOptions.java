package org.opentrade.exchange.adapter.disruptor;

import java.nio.file.Path;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.TradingCalendar;

/**
 * How the exchange runtime is laid out. Validated on construction: a bad value fails fast with a
 * message naming it.
 *
 * @param shards                number of single-threaded engines; symbols are hashed to them. More
 *                              shards use more cores; on 2 cores one or two is right.
 * @param journalDir            where each shard keeps journal and snapshots ({@code shard-N/}); null
 *                              runs without a journal (nothing survives a restart)
 * @param fsync                 journal durability per group commit (see {@link FsyncPolicy})
 * @param ringSize              commands in flight per shard, a power of two; a full ring refuses new
 *                              commands with ENGINE_OVERLOADED instead of blocking the caller. Larger:
 *                              absorbs bursts; smaller: bounds queueing latency.
 * @param snapshotEveryCommands snapshot after this many commands (0 = only on clean close); fewer
 *                              means faster recovery and more pauses
 * @param catalog               instruments and their rules; null runs pure matching (no rules)
 * @param calendar              session schedule; null only together with a null catalog
 */
public record ShardedExchangeOptions(int shards, Path journalDir, FsyncPolicy fsync, int ringSize,
                                     long snapshotEveryCommands, InstrumentCatalog catalog,
                                     TradingCalendar calendar) {
    public static final int DEFAULT_SHARDS = 1;
    public static final FsyncPolicy DEFAULT_FSYNC = FsyncPolicy.BATCH;
    public static final int DEFAULT_RING_SIZE = 16_384;
    public static final long DEFAULT_SNAPSHOT_EVERY = 100_000;

    public ShardedExchangeOptions {
        if (shards < 1 || shards > 64) {
            throw new IllegalArgumentException("shards must be in 1..64, got " + shards);
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two >= 2, got " + ringSize);
        }
        if (snapshotEveryCommands < 0) {
            throw new IllegalArgumentException("snapshotEveryCommands must be >= 0, got " + snapshotEveryCommands);
        }
        if (fsync == null) {
            throw new IllegalArgumentException("fsync must be one of " + java.util.Arrays.toString(FsyncPolicy.values()));
        }
        if ((catalog == null) != (calendar == null)) {
            throw new IllegalArgumentException("catalog and calendar go together: both set (market rules) or both null"
                    + " (pure matching)");
        }
    }

    /** One shard, journal off, market rules on. */
    public static ShardedExchangeOptions defaults(InstrumentCatalog catalog, TradingCalendar calendar) {
        return new ShardedExchangeOptions(DEFAULT_SHARDS, null, DEFAULT_FSYNC, DEFAULT_RING_SIZE,
                DEFAULT_SNAPSHOT_EVERY, catalog, calendar);
    }

    public ShardedExchangeOptions withJournal(Path dir, FsyncPolicy policy) {
        return new ShardedExchangeOptions(shards, dir, policy, ringSize, snapshotEveryCommands, catalog, calendar);
    }

    public ShardedExchangeOptions withShards(int n) {
        return new ShardedExchangeOptions(n, journalDir, fsync, ringSize, snapshotEveryCommands, catalog, calendar);
    }

    public ShardedExchangeOptions withSnapshotEvery(long commands) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, ringSize, commands, catalog, calendar);
    }

    public ShardedExchangeOptions withRingSize(int size) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, size, snapshotEveryCommands, catalog, calendar);
    }
}
