package org.opentrade.trade.adapter.file;

/** When the intent log forces its writes to the disk. */
public enum FsyncPolicy {
    /**
     * One fsync per batch, before any of the batch's callbacks run: an acknowledged intent survives a
     * power loss. Costs one fsync latency per batch (group commit amortises it over what queued).
     */
    FSYNC_BATCH,
    /**
     * Callbacks run once the batch is written to the OS (page cache): survives a kill -9 of trade-api,
     * not a power loss or kernel crash. For benchmarks and throw-away sandboxes.
     */
    NONE
}
