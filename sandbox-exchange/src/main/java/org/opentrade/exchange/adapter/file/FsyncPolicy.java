package org.opentrade.exchange.adapter.file;

/**
 * When the journal forces its writes to the storage device.
 * <ul>
 *   <li>{@link #NONE}: each group commit is written to the OS (survives {@code kill -9} of the
 *   process, not a power loss); fastest.</li>
 *   <li>{@link #BATCH}: each group commit is written and fsynced before its commands are
 *   processed (survives power loss); costs one fsync per batch, amortised over the batch.</li>
 * </ul>
 */
public enum FsyncPolicy {
    NONE, BATCH
}
