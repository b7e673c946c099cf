package org.opentrade.trade.adapter.file;

import java.nio.file.Path;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;

/**
 * Knobs of {@link FileIntentStore}; the constructor validates them and names the bad one.
 *
 * @param dir             directory of the log ({@code intents.log}) and the exchange-id reservation
 *                        ({@code exchange-ids})
 * @param fsync           FSYNC_BATCH (default, survives power loss) or NONE (survives kill -9 only)
 * @param queueCapacity   intents accepted but not yet written; when full, {@code append} returns false
 *                        (backpressure). Larger: rides out longer disk stalls; smaller: refuses sooner
 *                        and holds less memory (a queued intent is ~200 bytes)
 * @param maxBatch        most intents per write + fsync. Larger: fewer fsyncs under load; smaller:
 *                        the first callbacks of a big batch run sooner
 * @param maxRecordBytes  largest encoded intent accepted (and trusted when reading a record's length)
 * @param exchangeIdBlock exchange ids reserved durably at a time: larger means fewer blocking
 *                        reservations and more ids skipped after a crash (the 52-bit space is ample)
 * @param instanceId      this trade-api instance's id, 0..1023, unique among instances sharing an
 *                        exchange (the high bits of every exchange order id it hands out)
 */
public record FileIntentStoreOptions(Path dir, FsyncPolicy fsync, int queueCapacity, int maxBatch,
                                     int maxRecordBytes, int exchangeIdBlock, int instanceId) {
    public static final Path DEFAULT_DIR = Path.of("data", "trade", "intents");
    public static final FsyncPolicy DEFAULT_FSYNC = FsyncPolicy.FSYNC_BATCH;
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    public static final int DEFAULT_MAX_BATCH = 4_096;
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;
    public static final int DEFAULT_EXCHANGE_ID_BLOCK = 10_000;
    public static final int DEFAULT_INSTANCE_ID = 0;

    public FileIntentStoreOptions {
        if (dir == null) {
            throw new IllegalArgumentException("intent store dir is required");
        }
        if (fsync == null) {
            throw new IllegalArgumentException("intent store fsync policy is required (FSYNC_BATCH or NONE)");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("intent store queueCapacity must be >= 1, got " + queueCapacity);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("intent store maxBatch must be >= 1, got " + maxBatch);
        }
        if (maxRecordBytes < 256 || maxRecordBytes > (1 << 24)) {
            throw new IllegalArgumentException("intent store maxRecordBytes must be in [256, 16777216], got "
                    + maxRecordBytes);
        }
        if (exchangeIdBlock < 1) {
            throw new IllegalArgumentException("intent store exchangeIdBlock must be >= 1, got " + exchangeIdBlock);
        }
        ExchangeOrderIds.requireInstanceId(instanceId);
    }

    /** Defaults in the given directory. */
    public static FileIntentStoreOptions defaults(Path dir) {
        return new FileIntentStoreOptions(dir, DEFAULT_FSYNC, DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH,
                DEFAULT_MAX_RECORD_BYTES, DEFAULT_EXCHANGE_ID_BLOCK, DEFAULT_INSTANCE_ID);
    }

    public FileIntentStoreOptions withFsync(FsyncPolicy value) {
        return new FileIntentStoreOptions(dir, value, queueCapacity, maxBatch, maxRecordBytes, exchangeIdBlock,
                instanceId);
    }

    public FileIntentStoreOptions withQueueCapacity(int value) {
        return new FileIntentStoreOptions(dir, fsync, value, maxBatch, maxRecordBytes, exchangeIdBlock, instanceId);
    }

    public FileIntentStoreOptions withMaxBatch(int value) {
        return new FileIntentStoreOptions(dir, fsync, queueCapacity, value, maxRecordBytes, exchangeIdBlock,
                instanceId);
    }

    public FileIntentStoreOptions withExchangeIdBlock(int value) {
        return new FileIntentStoreOptions(dir, fsync, queueCapacity, maxBatch, maxRecordBytes, value, instanceId);
    }

    public FileIntentStoreOptions withInstanceId(int value) {
        return new FileIntentStoreOptions(dir, fsync, queueCapacity, maxBatch, maxRecordBytes, exchangeIdBlock,
                value);
    }
}
