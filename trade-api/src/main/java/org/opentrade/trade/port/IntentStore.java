package org.opentrade.trade.port;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.opentrade.trade.domain.intent.Intent;

/**
 * trade-api's own durable log of {@link Intent}s, written before trade-api acts on one, plus the
 * allocator of exchange order ids. An acknowledged order is never lost: acknowledge only from the
 * {@code durable} callback.
 *
 * <p>Durability contract: {@code durable} runs only once the intent is stored durably (on disk and,
 * under the file adapter's default policy, fsynced); after a crash every intent whose callback ran is
 * read back with the same index and content; indexes are gap-free from 1 in append order, and a crash
 * can only lose a suffix of intents whose callbacks had not run. Callbacks run in index order.
 *
 * <p>Threads: {@link #append} and {@link #nextExchangeId} may be called from any thread and never
 * block on disk (except as noted on {@code nextExchangeId}); {@code durable} runs on the store's own
 * thread (in-memory: possibly the appending thread, before {@code append} returns), so a Vert.x
 * caller hops back to its context from there and must not block in it.
 */
public interface IntentStore extends AutoCloseable {

    /**
     * Hands the intent over for writing and returns at once (group commit: the store batches what
     * queued while it was writing the last batch, one write and one fsync per batch). The store assigns
     * the next index (ignoring {@code intent.index()}) and calls {@code durable} with it once durable.
     *
     * @return false when the store's queue is full (backpressure: nothing was recorded, no index was
     *         used, {@code durable} will not run; answer 503 and let the client retry)
     * @throws IllegalStateException when the store is closed or has failed (an I/O error stops it: no
     *         later callback runs; the caller's pending requests have an unknown status)
     * @throws IllegalArgumentException when the intent cannot be stored (e.g. a string too long)
     */
    boolean append(Intent intent, LongConsumer durable);

    /** Every durable intent, in index order. Meant for start-up, before appends begin. */
    List<Intent> readAll();

    /** Hands every durable intent with index > {@code afterIndex} to {@code sink}, in index order. */
    void replay(long afterIndex, Consumer<Intent> sink);

    /** The index of the last intent appended (durable or not yet), 0 when none. */
    long lastIndex();

    /**
     * Intents up to {@code throughIndex} (durable, and covered by every snapshot the caller may start from)
     * are no longer needed and may be dropped, now or at the next open: a later {@link #replay} must then
     * start at or after it, and {@link #readAll} fails. Indexes of later intents do not change. May block
     * briefly (the file store records it in a small file): call it off the event loop. The default keeps
     * everything.
     */
    default void prune(long throughIndex) {
    }

    /**
     * Refuses a replay after {@code afterIndex} when the intents from there up to {@code prunedThrough} were
     * pruned from the log named {@code log}; the one message both stores give.
     */
    static void requireNotPruned(long afterIndex, long prunedThrough, Object log) {
        if (afterIndex < prunedThrough) {
            throw new IllegalStateException("intents " + (afterIndex + 1) + " to " + prunedThrough + " of " + log
                    + " were pruned (covered by snapshots since replaced): start from a snapshot at or after intent "
                    + prunedThrough);
        }
    }

    /**
     * A new exchange order id, unique across restarts and never reused, in {@code [1, 2^62)} and
     * composed with this instance's id (see {@code ExchangeOrderIds}). Ids are reserved durably in
     * blocks, so a call blocks on disk once per block (one small atomic file write); after a crash
     * ids continue above the whole reserved block, so some ids are skipped, never repeated.
     */
    long nextExchangeId();

    /**
     * Registers {@code handler}, called once, on the store's own thread, when the store stops after a
     * failed write (an I/O error, a lost or timed-out Redis command): from then on no {@code durable}
     * callback runs and {@link #append} throws, so callers settle their pending requests as unknown.
     * Register before the first append. The default never calls it (a store that cannot fail).
     */
    default void onFailure(Consumer<Throwable> handler) {
    }

    /** Writes what was accepted, runs its callbacks, and releases the files. Idempotent. */
    @Override
    void close();
}
