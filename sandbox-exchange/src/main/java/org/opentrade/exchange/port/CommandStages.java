package org.opentrade.exchange.port;

/**
 * When one command passed each stage on its shard, as {@link System#nanoTime()} readings, for the
 * span that traces it: dequeued by the shard thread, its batch's journal committed (group commit),
 * the batch sent to the standby, the command run by the engine, and the batch's events logged and
 * published. A reading of 0 means the stage was not reached (a command refused before it) or does
 * not exist here (no standby: {@link #replicated()} stays 0).
 *
 * <p>Written by the shard thread before the command's result future completes, read by whoever
 * completes on it afterwards (the future's completion orders the two); one instance per command,
 * never reused.
 */
public final class CommandStages {
    private long dequeued;
    private long journaled;
    private long replicated;
    private long matchStarted;
    private long matched;
    private long published;
    private int batchCommands;

    public long dequeued() {
        return dequeued;
    }

    public long journaled() {
        return journaled;
    }

    public long replicated() {
        return replicated;
    }

    public long matchStarted() {
        return matchStarted;
    }

    public long matched() {
        return matched;
    }

    public long published() {
        return published;
    }

    /** Commands in the batch whose journal commit this command shared (1 or more once journaled). */
    public int batchCommands() {
        return batchCommands;
    }

    public void dequeued(long nanos) {
        dequeued = nanos;
    }

    /** The batch's commit and, when it had one, its replication to the standby. */
    public void batch(long journaledNanos, long replicatedNanos, int commands) {
        journaled = journaledNanos;
        replicated = replicatedNanos;
        batchCommands = commands;
    }

    public void match(long startedNanos, long endedNanos) {
        matchStarted = startedNanos;
        matched = endedNanos;
    }

    public void published(long nanos) {
        published = nanos;
    }
}
