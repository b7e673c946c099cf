package org.opentrade.trade.domain.intent;

/**
 * Something a caller asked trade-api to do, recorded durably before trade-api acts on it (before a
 * command goes to the exchange, before an account changes). trade-api's state is a snapshot plus a
 * replay of these intents and of the exchange feed after it, so every intent carries the time it was
 * accepted (read at the edge, epoch milliseconds) rather than reading a clock when replayed.
 *
 * <p>{@link #index()} is assigned by the {@code IntentStore}: gap-free from 1 in append order; an
 * intent not yet appended has index 0. Records are immutable; {@link #withIndex} returns a copy.
 */
public sealed interface Intent
        permits AccountOpened, AccountReset, NewOrder, CancelRequested, ReplaceRequested, KillSwitch,
        StreamSeqAdvanced, SendRejected {

    /** Position in the intent log, from 1; 0 before the store has assigned one. */
    long index();

    /** The trade-api account (the developer id) the intent is about. */
    String account();

    /** When trade-api accepted the intent, epoch milliseconds. */
    long time();

    /**
     * The last feed seq applied per shard when the intent was applied: a replay applies it exactly there,
     * between the same two events. Empty for intents that commute with the feed (cancel and replace requests,
     * kill switches, account openings) and in records of formats that had none.
     */
    default java.util.Map<Integer, Long> feedPositions() {
        return java.util.Map.of();
    }

    /** The same intent at the given log position. */
    Intent withIndex(long index);

    /**
     * The feed positions an intent was applied at, as records keep them: sorted by shard, unmodifiable, empty
     * for null (records of formats that had none).
     */
    static java.util.Map<Integer, Long> positions(java.util.Map<Integer, Long> feedPositions) {
        return feedPositions == null ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(feedPositions));
    }

    /** Checks the fields every intent shares; called by each record's constructor. */
    static void requireCommon(long index, String account) {
        if (index < 0) {
            throw new IllegalArgumentException("intent index must be >= 0 (0 = not yet appended), got " + index);
        }
        if (account == null || account.isEmpty()) {
            throw new IllegalArgumentException("intent account is required");
        }
    }
}
