package org.opentrade.market.adapter.questdb;

import io.questdb.DefaultTelemetryConfiguration;
import io.questdb.TelemetryConfiguration;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;

/**
 * QuestDB's storage engine configured for a library inside market-api rather than a server: no
 * telemetry, no parallel query workers (nothing would run their jobs: the calling thread does the
 * work), no asynchronous indexing or munmap jobs. Every path QuestDB derives from the root
 * ({@code conf}, {@code .checkpoint}, {@code snapshot}) is a sibling of {@code db} inside the
 * store's own directory, so nothing is written outside it.
 */
final class EmbeddedCairoConfiguration extends DefaultCairoConfiguration {
    private static final TelemetryConfiguration TELEMETRY_OFF = new DefaultTelemetryConfiguration() {
        @Override
        public boolean getEnabled() {
            return false;
        }

        @Override
        public boolean getDisableCompletely() {
            return true;
        }
    };

    private final boolean syncCommits;

    /**
     * @param dbRoot      the tables' directory ({@code <store dir>/db})
     * @param installRoot the store directory
     * @param syncCommits fsync on every commit (see {@link QuestDbStoreOptions#syncCommits()})
     */
    EmbeddedCairoConfiguration(String dbRoot, String installRoot, boolean syncCommits) {
        super(dbRoot, installRoot);
        this.syncCommits = syncCommits;
    }

    @Override
    public TelemetryConfiguration getTelemetryConfiguration() {
        return TELEMETRY_OFF;
    }

    @Override
    public int getCommitMode() {
        return syncCommits ? CommitMode.SYNC : CommitMode.NOSYNC;
    }

    @Override
    public boolean isSqlParallelFilterEnabled() {
        return false;
    }

    @Override
    public boolean isSqlParallelGroupByEnabled() {
        return false;
    }

    @Override
    public boolean isSqlParallelTopKEnabled() {
        return false;
    }

    @Override
    public boolean isSqlParallelReadParquetEnabled() {
        return false;
    }

    @Override
    public boolean isSqlParallelHorizonJoinEnabled() {
        return false;
    }

    @Override
    public boolean isSqlParallelWindowJoinEnabled() {
        return false;
    }

    @Override
    public boolean isParallelIndexingEnabled() {
        return false;
    }

    @Override
    public boolean getAsyncMunmapEnabled() {
        return false;
    }

    @Override
    public boolean isMatViewEnabled() {
        return false;
    }
}
