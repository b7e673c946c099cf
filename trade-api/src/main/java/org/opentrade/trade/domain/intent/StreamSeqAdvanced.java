package org.opentrade.trade.domain.intent;

import java.util.Map;

/**
 * After a restart, the account's order-stream seq follows on from what the stream had sent ({@code seq}):
 * frames the replay cannot make again (an order whose intent the crash lost, then its rejection) were
 * sent and numbered before. Logged so that a later replay, from a snapshot or from nothing, numbers the
 * account's next updates as this process did.
 *
 * @param feedPositions the last feed seq applied per shard when it was applied: a replay applies it
 *                      exactly there, before the updates of the next event
 */
public record StreamSeqAdvanced(long index, String account, long seq, long time, Map<Integer, Long> feedPositions)
        implements Intent {
    public StreamSeqAdvanced {
        Intent.requireCommon(index, account);
        if (seq < 0) {
            throw new IllegalArgumentException("stream seq must be >= 0, got " + seq);
        }
        feedPositions = Intent.positions(feedPositions);
    }

    /** Not yet appended (index 0). */
    public static StreamSeqAdvanced at(String account, long seq, long time, Map<Integer, Long> feedPositions) {
        return new StreamSeqAdvanced(0, account, seq, time, feedPositions);
    }

    @Override
    public StreamSeqAdvanced withIndex(long index) {
        return new StreamSeqAdvanced(index, account, seq, time, feedPositions);
    }
}
