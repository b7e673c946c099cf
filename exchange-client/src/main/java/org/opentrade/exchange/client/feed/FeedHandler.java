package org.opentrade.exchange.client.feed;

import java.util.List;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * The service's side of a {@link FeedConsumer}: it applies events and owns its position. Every
 * method is called on the consumer's thread (on Vert.x: the consumer's context), one call at a time,
 * so an implementation needs no locks for its feed state; it must not block.
 *
 * <p>Exactly once across restarts needs one thing from the handler: {@link #position} returns the
 * last sequence whose effects it has applied <em>and</em> made durable (or kept, for an in-memory
 * service that rebuilds on start), so a restart resumes right after it.
 */
public interface FeedHandler {
    /**
     * The last sequence of {@code shard} the handler has applied and persisted; 0 when none. Read
     * when the shard starts or restarts and at every checkpoint. Must be cheap.
     */
    long position(int shard);

    /**
     * One event, exactly once and in sequence order per shard (shards are independent). Throwing
     * stops the shard without skipping the event: {@link #onFailure} is called and
     * {@link FeedConsumer#restart} retries from {@link #position} + 1.
     */
    void onEvent(ExchangeEvent event);

    /**
     * With {@link TruncationPolicy#SNAPSHOT}: the events after {@link #position} are no longer kept,
     * so here is every symbol of the shard at sequence {@code seq} (with resting orders and stops).
     * The handler replaces its state of that shard with it and from now on reports {@code seq} (or
     * later) as its position; events after {@code seq} follow. The default refuses, which stops the
     * shard: a handler that chooses SNAPSHOT must override it.
     */
    default void onSnapshot(int shard, long seq, List<BookSnapshot> books) {
        throw new UnsupportedOperationException(getClass().getName()
                + " uses TruncationPolicy.SNAPSHOT but does not override FeedHandler.onSnapshot");
    }

    /**
     * With {@link TruncationPolicy#ALARM}: the shard stopped because the exchange keeps only events
     * from {@code firstKeptSeq} (0 when the exchange did not say) and the handler is at
     * {@code position}. Raise the alarm; nothing was skipped.
     */
    default void onTruncated(int shard, long position, long firstKeptSeq) {
    }

    /**
     * With {@link TruncationPolicy#ALARM}: the shard stopped because the exchange's shard ends at
     * {@code exchangeHead}, before the handler's {@code position}: the events the handler applied after
     * {@code exchangeHead} are not in the exchange's history (its data was reset, or it lost a tail the
     * handler saw), and the events the exchange numbers next are not those. Nothing was applied from it;
     * raise the alarm.
     */
    default void onDiverged(int shard, long position, long exchangeHead) {
    }

    /**
     * The shard caught up and now follows the live feed at {@code seq} (after start, and after every
     * repaired gap). Useful for readiness.
     */
    default void onLive(int shard, long seq) {
    }

    /**
     * The shard stopped because the handler failed: {@link #onEvent} threw at event {@code seq},
     * {@link #onSnapshot} threw at snapshot {@code seq}, or {@link #position} failed ({@code seq} 0).
     * Also called for a configured shard the exchange does not have.
     */
    default void onFailure(int shard, long seq, Throwable cause) {
    }
}
