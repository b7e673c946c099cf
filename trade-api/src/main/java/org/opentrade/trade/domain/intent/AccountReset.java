package org.opentrade.trade.domain.intent;

import java.util.Map;

/**
 * The developer reset the account: open orders are canceled and the account starts clean with
 * {@code startingCash} in hundredths.
 *
 * @param feedPositions the last feed seq applied per shard when the reset was applied: a replay
 *                      applies the reset exactly there, between the same two events (a reset between
 *                      two fills changes the books). Empty in records of the first format: such a
 *                      reset is applied where it falls in the intent order.
 */
public record AccountReset(long index, String account, long startingCash, long time, Map<Integer, Long> feedPositions)
        implements Intent {
    public AccountReset {
        Intent.requireCommon(index, account);
        if (startingCash < 0) {
            throw new IllegalArgumentException("starting cash must be >= 0, got " + startingCash);
        }
        feedPositions = Intent.positions(feedPositions);
    }

    public AccountReset(long index, String account, long startingCash, long time) {
        this(index, account, startingCash, time, Map.of());
    }

    /** Not yet appended (index 0). */
    public static AccountReset of(String account, long startingCash, long time) {
        return new AccountReset(0, account, startingCash, time, Map.of());
    }

    /** Not yet appended, applied after the given feed positions. */
    public static AccountReset at(String account, long startingCash, long time, Map<Integer, Long> feedPositions) {
        return new AccountReset(0, account, startingCash, time, feedPositions);
    }

    @Override
    public AccountReset withIndex(long index) {
        return new AccountReset(index, account, startingCash, time, feedPositions);
    }
}
