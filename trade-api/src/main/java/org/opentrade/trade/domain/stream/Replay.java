package org.opentrade.trade.domain.stream;

import java.util.List;

/**
 * What an {@link AccountLog} can give a client that has seen the account's updates up to some seq: either
 * every message after it, exactly ({@code inWindow}, {@code messages} holding seqs {@code fromSeq},
 * {@code fromSeq + 1}, … up to the head; empty when the client is up to date), or nothing because some of
 * them are no longer retained or the seq is unknown to this log ({@code !inWindow}): the client then needs
 * a snapshot of the account's open orders and knows it has a gap.
 */
public record Replay<T>(boolean inWindow, long fromSeq, List<T> messages) {

    public Replay {
        messages = List.copyOf(messages);
    }

    public static <T> Replay<T> outOfWindow() {
        return new Replay<>(false, 0, List.of());
    }
}
