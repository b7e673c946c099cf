package org.opentrade.exchange.client.feed;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ShardSnapshot;

/**
 * What a feed consumer needs from the exchange (port; the protocol is the one of
 * {@code ExchangeAddresses}). The event-bus adapter is {@code EventBusFeedTransport}; tests use an
 * in-memory one.
 *
 * <p>Thread contract: call it on the consumer's thread; every stage completes, and every live batch
 * is handed over, on that same thread. Every stage completes eventually: the adapter applies its own
 * request timeouts and fails the stage. A refused replay completes normally with a {@link FeedBatch}
 * whose code says why (e.g. -5010 with its {@code first_kept_seq}); other refused requests fail with
 * {@link FeedRequestRefusedException}; unreadable replies and timeouts fail with other exceptions.
 */
public interface FeedTransport {
    /** Shard count, head and oldest kept sequence of every shard. */
    CompletionStage<FeedInfo> info();

    /**
     * Follows a shard's live batches, heartbeats included, from now on (nothing before). Batches
     * arrive in the order the bus delivers them; the consumer copes with loss, duplication and
     * reordering.
     */
    Subscription subscribe(int shard, Consumer<FeedBatch> onBatch);

    /** At most {@code maxEvents} events of {@code shard} after {@code afterSeq}, oldest first. */
    CompletionStage<FeedBatch> replay(int shard, long afterSeq, int maxEvents);

    /**
     * Every symbol of {@code shard}, all at the shard's one sequence (carried also when the shard has no
     * symbol); with resting orders and stops when asked.
     */
    CompletionStage<ShardSnapshot> shardSnapshot(int shard, boolean withOrders);

    /** One symbol's book, at its shard's current sequence. */
    CompletionStage<BookSnapshot> bookSnapshot(String symbol, boolean withOrders);

    /** An account's live orders, one entry per shard, each stamped with its shard's sequence. */
    CompletionStage<List<AccountSnapshot>> accountSnapshot(String account);

    /**
     * Tells the exchange that durable consumer {@code consumer} has everything of {@code shard} up to
     * {@code seq}, so it may prune older events (the first checkpoint registers the consumer).
     */
    CompletionStage<Void> checkpoint(String consumer, int shard, long seq);
}
