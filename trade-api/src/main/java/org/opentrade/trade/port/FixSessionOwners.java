package org.opentrade.trade.port;

import java.io.IOException;

/**
 * Which developer each FIX session name (the initiator's SenderCompID) belongs to: the first developer to log
 * on with a name keeps it, so nobody else can log on under it (and read its ExecutionReports by a
 * ResendRequest, or wipe its store with ResetSeqNumFlag), and one developer holds at most
 * {@link #MAX_NAMES_PER_DEVELOPER} names. Durable before the Logon that claimed a name is answered. Kept where
 * every process that may serve the instance finds it: a file of the data directory with the file store, Redis
 * with the Redis store (a standby on another host must not hand a name to someone else).
 *
 * <p>Called on QuickFIX/J's session threads (may block); thread-safe.
 */
public interface FixSessionOwners {
    /** Session names one developer may hold. */
    int MAX_NAMES_PER_DEVELOPER = 20;

    /**
     * Lets {@code developer} log on as {@code name}: null when it may (the name is recorded as theirs if it was
     * nobody's), else why not.
     */
    String claim(String name, String developer) throws IOException;

    /** The developer holding {@code name}, or null. */
    String owner(String name) throws IOException;

    /** How many names {@code developer} holds. */
    int names(String developer) throws IOException;

    /** Why {@code name} is refused to anyone but its owner. */
    static String takenMessage(String name) {
        return "SenderCompID(49) " + name + " is another developer's session; log on with a SenderCompID of your own";
    }

    /** Why a developer holding {@link #MAX_NAMES_PER_DEVELOPER} names gets no new one. */
    static String fullMessage() {
        return "you already have " + MAX_NAMES_PER_DEVELOPER + " FIX sessions (SenderCompIDs); log on with one of them";
    }
}
