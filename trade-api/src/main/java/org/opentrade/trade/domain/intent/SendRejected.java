package org.opentrade.trade.domain.intent;

import java.util.Map;

/**
 * The exchange answered the new order {@code exchangeId}'s command with a rejection ({@code code},
 * {@code reason}). The order is rejected at once, before the feed says so, and some rejections (refused
 * before the engine: ring full, shutting down) never reach the feed at all; so the answer is logged, or a
 * replay would find the order pending and send it again after its caller was told it was rejected.
 *
 * @param feedPositions the last feed seq applied per shard when the answer came: a replay applies it
 *                      exactly there, so the rejection is made by the same one of answer and event
 */
public record SendRejected(long index, String account, long exchangeId, int code, String reason, long time,
                           Map<Integer, Long> feedPositions) implements Intent {
    public SendRejected {
        Intent.requireCommon(index, account);
        if (exchangeId <= 0) {
            throw new IllegalArgumentException("exchange order id must be > 0, got " + exchangeId);
        }
        if (reason == null) {
            throw new IllegalArgumentException("a rejection has a reason");
        }
        feedPositions = Intent.positions(feedPositions);
    }

    /** Not yet appended (index 0). */
    public static SendRejected at(String account, long exchangeId, int code, String reason, long time,
                                  Map<Integer, Long> feedPositions) {
        return new SendRejected(0, account, exchangeId, code, reason, time, feedPositions);
    }

    @Override
    public SendRejected withIndex(long index) {
        return new SendRejected(index, account, exchangeId, code, reason, time, feedPositions);
    }
}
