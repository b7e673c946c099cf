package org.opentrade.exchange.adapter.disruptor;

import java.nio.file.Path;
import org.opentrade.exchange.adapter.file.FileShardStorage;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.domain.FastOrderBook;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.OrderBook;
import org.opentrade.exchange.model.TradingCalendar;
import org.opentrade.exchange.domain.feed.EventRetention;
import org.opentrade.exchange.port.ShardStorage;

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
 * @param storage               opens each shard's storage; null = files under {@code journalDir}, or
 *                              nothing kept when that is null too (no recovery, no feed replay)
 * @param snapshotEveryMillis   also snapshot when this much engine time passed since the last one
 *                              and something happened (0 = by count only); bounds recovery time and
 *                              journal size when traffic is light
 * @param retention             how long event history is kept for feed consumers
 * @param bookFactory           order book implementation; null = {@link FastOrderBook}
 */
public record ShardedExchangeOptions(int shards, Path journalDir, FsyncPolicy fsync, int ringSize,
                                     long snapshotEveryCommands, InstrumentCatalog catalog,
                                     TradingCalendar calendar, ShardStorage.Factory storage,
                                     long snapshotEveryMillis, EventRetention retention,
                                     OrderBook.Factory bookFactory) {
    public static final int DEFAULT_SHARDS = 1;
    public static final FsyncPolicy DEFAULT_FSYNC = FsyncPolicy.BATCH;
    public static final int DEFAULT_RING_SIZE = 16_384;
    public static final long DEFAULT_SNAPSHOT_EVERY = 100_000;
    public static final long DEFAULT_SNAPSHOT_EVERY_MILLIS = 10 * 60_000L;

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
        if (snapshotEveryMillis < 0) {
            throw new IllegalArgumentException("snapshotEveryMillis must be >= 0, got " + snapshotEveryMillis);
        }
        if (retention == null) {
            retention = EventRetention.defaults();
        }
        if ((catalog == null) != (calendar == null)) {
            throw new IllegalArgumentException("catalog and calendar go together: both set (market rules) or both null"
                    + " (pure matching)");
        }
    }

    /** The layout without the later options: defaults for those. */
    public ShardedExchangeOptions(int shards, Path journalDir, FsyncPolicy fsync, int ringSize,
                                  long snapshotEveryCommands, InstrumentCatalog catalog, TradingCalendar calendar) {
        this(shards, journalDir, fsync, ringSize, snapshotEveryCommands, catalog, calendar, null,
                DEFAULT_SNAPSHOT_EVERY_MILLIS, EventRetention.defaults(), null);
    }

    /** The storage factory to use: the configured one, files under the journal dir, or null (none). */
    public ShardStorage.Factory storageFactory() {
        if (storage != null) {
            return storage;
        }
        return journalDir == null ? null : new FileShardStorage(journalDir, fsync);
    }

    public ShardedExchangeOptions withStorage(ShardStorage.Factory factory) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, ringSize, snapshotEveryCommands, catalog, calendar,
                factory, snapshotEveryMillis, retention, bookFactory);
    }

    public ShardedExchangeOptions withSnapshotEveryMillis(long millis) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, ringSize, snapshotEveryCommands, catalog, calendar,
                storage, millis, retention, bookFactory);
    }

    public ShardedExchangeOptions withRetention(EventRetention r) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, ringSize, snapshotEveryCommands, catalog, calendar,
                storage, snapshotEveryMillis, r, bookFactory);
    }

    public ShardedExchangeOptions withBookFactory(OrderBook.Factory factory) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, ringSize, snapshotEveryCommands, catalog, calendar,
                storage, snapshotEveryMillis, retention, factory);
    }

    /** One shard, journal off, market rules on. */
    public static ShardedExchangeOptions defaults(InstrumentCatalog catalog, TradingCalendar calendar) {
        return new ShardedExchangeOptions(DEFAULT_SHARDS, null, DEFAULT_FSYNC, DEFAULT_RING_SIZE,
                DEFAULT_SNAPSHOT_EVERY, catalog, calendar);
    }

    public ShardedExchangeOptions withJournal(Path dir, FsyncPolicy policy) {
        return new ShardedExchangeOptions(shards, dir, policy, ringSize, snapshotEveryCommands, catalog, calendar,
                storage, snapshotEveryMillis, retention, bookFactory);
    }

    public ShardedExchangeOptions withShards(int n) {
        return new ShardedExchangeOptions(n, journalDir, fsync, ringSize, snapshotEveryCommands, catalog, calendar,
                storage, snapshotEveryMillis, retention, bookFactory);
    }

    public ShardedExchangeOptions withSnapshotEvery(long commands) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, ringSize, commands, catalog, calendar,
                storage, snapshotEveryMillis, retention, bookFactory);
    }

    public ShardedExchangeOptions withRingSize(int size) {
        return new ShardedExchangeOptions(shards, journalDir, fsync, size, snapshotEveryCommands, catalog, calendar,
                storage, snapshotEveryMillis, retention, bookFactory);
    }
}
