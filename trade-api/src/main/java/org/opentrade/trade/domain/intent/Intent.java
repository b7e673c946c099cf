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

    /** The same intent at the given log position. */
    Intent withIndex(long index);

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
