package org.opentrade.market.adapter.questdb;

/**
 * Knobs of {@link QuestDbTimeSeriesStore}.
 *
 * @param syncCommits fsync every commit. {@code false} (the default): a commit is on disk once the
 *                    OS flushes it, which survives a crash of the process (kill -9) but not of the
 *                    machine; each commit costs microseconds. {@code true}: survives power loss too,
 *                    at the price of one or more fsyncs (milliseconds on many disks) per write call.
 */
public record QuestDbStoreOptions(boolean syncCommits) {
    public static final boolean DEFAULT_SYNC_COMMITS = false;

    public static final QuestDbStoreOptions DEFAULTS = new QuestDbStoreOptions(DEFAULT_SYNC_COMMITS);
}
