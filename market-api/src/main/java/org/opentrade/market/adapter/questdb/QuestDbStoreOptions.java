package org.opentrade.market.adapter.questdb;

/**
 * Knobs of {@link QuestDbTimeSeriesStore}.
 *
 * @param syncCommits    fsync every commit. {@code false} (the default): a commit is on disk once the
 *                       OS flushes it, which survives a crash of the process (kill -9) but not of the
 *                       machine; each commit costs microseconds. {@code true}: survives power loss too,
 *                       at the price of one or more fsyncs (milliseconds on many disks) per write call.
 * @param tradeSkipBound rows at or above the cursor that a trades page below a cursor may skip while it
 *                       scans back from the newest trade; past it (or past the page's limit, if larger) the
 *                       page seeks the cursor by bisecting time instead ({@code TradeSeek}: 20 to 40 probe
 *                       queries, together measured at 300 to 450 µs, what 15 000 to 20 000 skipped rows
 *                       cost). Larger: pages down to that depth run no probe; smaller: a deep page reads
 *                       fewer rows before its probes. The default keeps a deep page at about 1.5 times the
 *                       probes' cost and a page near the bound at under about 3 times the scan's; it is well
 *                       above market-api's in-memory trades (1 000 by default), below which the store is
 *                       first asked, so the store's first pages run no probe.
 */
public record QuestDbStoreOptions(boolean syncCommits, int tradeSkipBound) {
    public static final boolean DEFAULT_SYNC_COMMITS = false;
    public static final int DEFAULT_TRADE_SKIP_BOUND = 10_000;

    public static final QuestDbStoreOptions DEFAULTS = new QuestDbStoreOptions(DEFAULT_SYNC_COMMITS,
            DEFAULT_TRADE_SKIP_BOUND);

    public QuestDbStoreOptions {
        if (tradeSkipBound < 0) {
            throw new IllegalArgumentException("tradeSkipBound must be 0 or more, not " + tradeSkipBound);
        }
    }
}
