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
}
