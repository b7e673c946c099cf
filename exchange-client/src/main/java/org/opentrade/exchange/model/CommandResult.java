package org.opentrade.exchange.model;

import java.util.List;

/**
 * What one command caused, in order: the answer a caller receives once the command is durable and
 * processed. A rejection is a result with one REJECTED event, not an exception.
 *
 * @param journalSeq position of the command in its shard's journal (0 when it never got there)
 */
public record CommandResult(long journalSeq, List<ExchangeEvent> events, ResultCode code) {

    public CommandResult {
        events = List.copyOf(events);
    }

    /** A command refused before it reached the engine (overload, shutdown, journal failure). */
    public static CommandResult refused(Command c, ResultCode code) {
        return new CommandResult(0, List.of(ExchangeEvent.rejected(0, c, code)), code);
    }

    public boolean isRejected() {
        return !code.isOk();
    }
}
