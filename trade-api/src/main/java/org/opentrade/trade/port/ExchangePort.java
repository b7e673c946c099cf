package org.opentrade.trade.port;

import java.util.concurrent.CompletionStage;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;

/**
 * Sends commands to the exchange. The stage completes on the caller's context with the result (a
 * rejection is a result, not a failure), or fails with {@link java.util.concurrent.TimeoutException}
 * when no answer came in time: then the command's fate is unknown until the feed tells.
 */
public interface ExchangePort {
    CompletionStage<CommandResult> submit(Command command);

    /**
     * A barrier on the shard that owns {@code symbol}: travels the same ordered path as
     * {@link #submit} and is answered once every command sent to that shard before it was processed.
     * Completes on the caller's context with the shard and the seq of its last event then; once the
     * feed is applied up to that seq, a new order no event names never reached the engine. Fails
     * like {@link #submit} when no answer came in time.
     */
    CompletionStage<FeedPosition> barrier(String symbol);

    /** A point in one shard's event feed. */
    record FeedPosition(int shard, long seq) {
    }
}
