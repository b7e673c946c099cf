package org.opentrade.exchange.client.feed;

/**
 * One shard's counters, for metrics and health: a copy taken by {@link FeedConsumer#stats()}.
 *
 * @param delivered     last sequence handed to the handler (or taken from a snapshot)
 * @param head          highest head sequence the exchange has reported
 * @param checkpointed  last sequence the exchange acknowledged as this durable consumer's checkpoint
 * @param resumes       catch-ups by replay (start, gaps, lost tails, restarts)
 * @param gaps          live gaps and lost tails detected (each repaired by the resume that follows)
 * @param duplicates    live events dropped because they had been delivered already
 * @param snapshots     shard snapshots applied (SNAPSHOT policy)
 * @param bufferOverflows times the live buffer was dropped while resuming
 * @param retries       requests retried after a failure, a refusal or an unreadable reply
 * @param malformed     live batches dropped as unreadable (wrong shard, refused, not consecutive)
 * @param lastProblem   the most recent problem, for humans; null when none
 */
public record ShardStats(int shard, ShardState state, long delivered, long head, long checkpointed, long resumes,
                         long gaps, long duplicates, long snapshots, long bufferOverflows, long retries,
                         long malformed, String lastProblem) {
    /** How far the shard is behind what the exchange reported; 0 when caught up. */
    public long lag() {
        return Math.max(0, head - delivered);
    }

    /**
     * For a readiness answer: where the shard is and, unless live, its latest problem, e.g.
     * {@code "shard 0 resuming at 5000, exchange head 12: the exchange's head 12 is behind ..."}.
     */
    public String describe() {
        String where = "shard " + shard + " " + state.name().toLowerCase() + " at " + delivered + ", exchange head " + head;
        return state == ShardState.LIVE || lastProblem == null ? where : where + ": " + lastProblem;
    }
}
